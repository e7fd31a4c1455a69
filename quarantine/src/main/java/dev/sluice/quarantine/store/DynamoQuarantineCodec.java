package dev.sluice.quarantine.store;

import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.KafkaHeader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Converts quarantine items to and from DynamoDB attribute maps; kept apart from the store's transitions. Public for
 * the search (find package), which reads the same table and names the same attributes in its queries.
 */
public final class DynamoQuarantineCodec {
  public static final String ID = "id";
  public static final String STATUS = "status";
  public static final String STREAM = "stream";
  public static final String GROUP = "consumerGroup";
  public static final String TOPIC = "topic";
  public static final String PARTITION = "kafkaPartition";
  public static final String OFFSET = "kafkaOffset";
  public static final String KEY = "recordKey";
  public static final String PAYLOAD = "payload";
  public static final String HEADERS = "headers";
  public static final String EVENT_ID = "eventId";
  public static final String EVENT_TYPE = "eventType";
  public static final String REASON = "reason";
  public static final String ERROR_CLASS = "errorClass";
  public static final String ERROR_MESSAGE = "errorMessage";
  public static final String VIOLATIONS = "violations";
  public static final String ATTEMPTS = "attempts";
  public static final String QUARANTINED_AT = "quarantinedAt";
  public static final String UPDATED_AT = "updatedAt";
  public static final String EDITED_DATA = "editedData";
  public static final String REDRIVE_COUNT = "redriveCount";
  public static final String HISTORY = "history";
  public static final String ATTEMPT_LOG = "attemptLog";
  public static final String NEXT_ATTEMPT_AT = "nextAttemptAt";
  public static final String PARKED_BEHIND = "parkedBehind";
  public static final String GENERATION = "generation";
  /** Present only while the item is open: the sparse index of open items per group, topic and partition. */
  public static final String OPEN_LANE = "openLane";
  /** In an attempt-log entry: the failure's bounded stack trace, absent when there is none. */
  public static final String STACK_TRACE = "stackTrace";

  private DynamoQuarantineCodec() {}

  static Map<String, AttributeValue> toAttributes(QuarantineItem item) {
    Map<String, AttributeValue> m = new HashMap<>();
    m.put(ID, s(item.id()));
    m.put(STATUS, s(item.status().name()));
    m.put(STREAM, s(item.stream()));
    m.put(GROUP, s(item.group()));
    m.put(TOPIC, s(item.topic()));
    m.put(PARTITION, n(item.partition()));
    m.put(OFFSET, n(item.offset()));
    item.key().ifPresent(k -> m.put(KEY, s(k)));
    m.put(PAYLOAD, AttributeValue.fromB(SdkBytes.fromByteArray(item.payload())));
    m.put(HEADERS, AttributeValue.fromL(item.headers().stream()
        .map(h -> AttributeValue.fromM(Map.of(
            "k", s(h.key()),
            "v", AttributeValue.fromB(SdkBytes.fromByteArray(h.value() == null ? new byte[0] : h.value())))))
        .toList()));
    item.eventId().ifPresent(v -> m.put(EVENT_ID, s(v)));
    item.eventType().ifPresent(v -> m.put(EVENT_TYPE, s(v)));
    m.put(REASON, s(item.reason().name()));
    m.put(ERROR_CLASS, s(item.errorClass()));
    m.put(ERROR_MESSAGE, s(item.errorMessage()));
    m.put(VIOLATIONS, AttributeValue.fromL(item.violations().stream().map(DynamoQuarantineCodec::violation).toList()));
    m.put(ATTEMPTS, n(item.attempts()));
    m.put(QUARANTINED_AT, n(item.quarantinedAt().toEpochMilli()));
    m.put(UPDATED_AT, n(item.updatedAt().toEpochMilli()));
    item.editedData().ifPresent(v -> m.put(EDITED_DATA, s(v)));
    m.put(REDRIVE_COUNT, n(item.redriveCount()));
    m.put(HISTORY, AttributeValue.fromL(item.history().stream().map(DynamoQuarantineCodec::audit).toList()));
    m.put(ATTEMPT_LOG, attempts(item.attemptLog()));
    item.nextAttemptAt().ifPresent(t -> m.put(NEXT_ATTEMPT_AT, n(t.toEpochMilli())));
    item.parkedBehind().ifPresent(h -> m.put(PARKED_BEHIND, s(h)));
    m.put(GENERATION, n(item.generation()));
    if (item.status().isOpen()) {
      item.lane().ifPresent(lane -> m.put(OPEN_LANE, s(lane)));
    }
    return m;
  }

  public static QuarantineItem fromAttributes(Map<String, AttributeValue> m) {
    List<KafkaHeader> headers = new ArrayList<>();
    for (AttributeValue h : list(m, HEADERS)) {
      headers.add(new KafkaHeader(h.m().get("k").s(), h.m().get("v").b().asByteArray()));
    }
    List<Violation> violations = new ArrayList<>();
    for (AttributeValue v : list(m, VIOLATIONS)) {
      violations.add(new Violation(v.m().get("pointer").s(), v.m().get("keyword").s(), v.m().get("message").s()));
    }
    List<AuditEntry> history = new ArrayList<>();
    for (AttributeValue a : list(m, HISTORY)) {
      history.add(new AuditEntry(Instant.ofEpochMilli(Long.parseLong(a.m().get("at").n())),
          a.m().get("action").s(), a.m().get("actor").s(), a.m().get("detail").s()));
    }
    List<HandlerAttempt> attemptLog = new ArrayList<>();
    for (AttributeValue a : list(m, ATTEMPT_LOG)) {
      attemptLog.add(attempt(a.m()));
    }
    return new QuarantineItem(
        m.get(ID).s(),
        QuarantineStatus.valueOf(m.get(STATUS).s()),
        m.get(STREAM).s(),
        m.get(GROUP).s(),
        m.get(TOPIC).s(),
        Integer.parseInt(m.get(PARTITION).n()),
        Long.parseLong(m.get(OFFSET).n()),
        optS(m, KEY),
        m.containsKey(PAYLOAD) ? m.get(PAYLOAD).b().asByteArray() : new byte[0],
        headers,
        optS(m, EVENT_ID),
        optS(m, EVENT_TYPE),
        QuarantineReason.valueOf(m.get(REASON).s()),
        optS(m, ERROR_CLASS).orElse(""),
        optS(m, ERROR_MESSAGE).orElse(""),
        violations,
        Integer.parseInt(m.get(ATTEMPTS).n()),
        Instant.ofEpochMilli(Long.parseLong(m.get(QUARANTINED_AT).n())),
        Instant.ofEpochMilli(Long.parseLong(m.get(UPDATED_AT).n())),
        optS(m, EDITED_DATA),
        m.containsKey(REDRIVE_COUNT) ? Integer.parseInt(m.get(REDRIVE_COUNT).n()) : 0,
        history,
        attemptLog,
        optN(m, NEXT_ATTEMPT_AT).map(Instant::ofEpochMilli),
        optS(m, PARKED_BEHIND),
        optN(m, GENERATION).map(Long::intValue).orElse(0));
  }

  static AttributeValue audit(AuditEntry a) {
    return AttributeValue.fromM(Map.of(
        "at", n(a.at().toEpochMilli()), "action", s(a.action()), "actor", s(a.actor()), "detail", s(a.detail())));
  }

  static AttributeValue attempts(List<HandlerAttempt> attempts) {
    return AttributeValue.fromL(attempts.stream().map(DynamoQuarantineCodec::attempt).toList());
  }

  /** One attempt-log entry; {@code stackTrace} only when the attempt has one. */
  static AttributeValue attempt(HandlerAttempt a) {
    Map<String, AttributeValue> m = new HashMap<>();
    m.put("at", n(a.at().toEpochMilli()));
    m.put("tier", s(a.tier().name()));
    m.put("errorClass", s(a.errorClass()));
    m.put("message", s(a.message()));
    a.stackTrace().ifPresent(t -> m.put(STACK_TRACE, s(t)));
    return AttributeValue.fromM(m);
  }

  /** An attempt-log entry read back; entries written before traces were kept have none. */
  static HandlerAttempt attempt(Map<String, AttributeValue> m) {
    return new HandlerAttempt(Instant.ofEpochMilli(Long.parseLong(m.get("at").n())),
        HandlerAttempt.Tier.valueOf(m.get("tier").s()), m.get("errorClass").s(), m.get("message").s(),
        optS(m, STACK_TRACE));
  }

  /** The light view of an item that the sparse open-lane index projects. */
  static OpenItem openItem(Map<String, AttributeValue> m) {
    return new OpenItem(m.get(ID).s(), QuarantineStatus.valueOf(m.get(STATUS).s()), optS(m, KEY),
        Long.parseLong(m.get(OFFSET).n()), Instant.ofEpochMilli(Long.parseLong(m.get(QUARANTINED_AT).n())),
        optN(m, ATTEMPTS).map(Long::intValue).orElse(0));
  }

  static AttributeValue violation(Violation v) {
    return AttributeValue.fromM(Map.of(
        "pointer", s(v.pointer()), "keyword", s(v.keyword()), "message", s(v.message())));
  }

  public static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  public static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  private static List<AttributeValue> list(Map<String, AttributeValue> m, String name) {
    AttributeValue v = m.get(name);
    return v == null || !v.hasL() ? List.of() : v.l();
  }

  private static Optional<Long> optN(Map<String, AttributeValue> m, String name) {
    AttributeValue v = m.get(name);
    return v == null || v.n() == null ? Optional.empty() : Optional.of(Long.parseLong(v.n()));
  }

  private static Optional<String> optS(Map<String, AttributeValue> m, String name) {
    AttributeValue v = m.get(name);
    return v == null || v.s() == null ? Optional.empty() : Optional.of(v.s());
  }
}
