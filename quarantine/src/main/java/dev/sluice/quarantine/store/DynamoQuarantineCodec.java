package dev.sluice.quarantine.store;

import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.storekit.dynamo.AttributeJson;
import dev.sluice.storekit.dynamo.AttributeMaps;
import dev.sluice.storekit.dynamo.AttributeWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  public static final String EDITED_SEAL = "editedSeal";
  public static final String REDRIVE_COUNT = "redriveCount";
  public static final String HISTORY = "history";
  public static final String ATTEMPT_LOG = "attemptLog";
  public static final String NEXT_ATTEMPT_AT = "nextAttemptAt";
  public static final String PARKED_BEHIND = "parkedBehind";
  public static final String GENERATION = "generation";
  /** Present only while the item is open: the sparse index of open items per group, topic and partition. */
  public static final String OPEN_LANE = "openLane";
  /** False only on an item whose payload its Kafka record keeps ({@link PayloadInKafka}); absent otherwise. */
  public static final String PAYLOAD_STORED = "payloadStored";
  public static final String PAYLOAD_SIZE = "payloadSize";
  public static final String PAYLOAD_SHA256 = "payloadSha256";
  /** Written, true, only on an item whose record's headers are kept in Kafka with its payload. */
  public static final String HEADERS_IN_KAFKA = "headersInKafka";
  /** In an attempt-log entry: the failure's bounded stack trace, absent when there is none. */
  public static final String STACK_TRACE = "stackTrace";

  private DynamoQuarantineCodec() {}

  public static Map<String, AttributeValue> toAttributes(QuarantineItem item) {
    return AttributeMaps.of(w -> write(item, w));
  }

  /**
   * The item as DynamoDB's JSON ({@link AttributeJson}), exactly as {@code AttributeJson.encode(toAttributes(item))}
   * reads, written straight from the item: what the quarantine log appends, once per poison record of a storm.
   */
  public static byte[] toJson(QuarantineItem item) {
    return AttributeJson.encode(w -> write(item, w));
  }

  /** The item's attributes, in whichever form {@code w} writes them: its one mapping to the table's attributes. */
  private static void write(QuarantineItem item, AttributeWriter w) {
    w.s(ID, item.id())
        .s(STATUS, item.status().name())
        .s(STREAM, item.stream())
        .s(GROUP, item.group())
        .s(TOPIC, item.topic())
        .n(PARTITION, item.partition())
        .n(OFFSET, item.offset());
    item.key().ifPresent(k -> w.s(KEY, k));
    w.b(PAYLOAD, item.payload())
        .maps(HEADERS, item.headers(), (h, m) -> m.s("k", h.key()).b("v", h.value() == null ? new byte[0] : h.value()));
    item.eventId().ifPresent(v -> w.s(EVENT_ID, v));
    item.eventType().ifPresent(v -> w.s(EVENT_TYPE, v));
    w.s(REASON, item.reason().name())
        .s(ERROR_CLASS, item.errorClass())
        .s(ERROR_MESSAGE, item.errorMessage())
        .maps(VIOLATIONS, item.violations(), DynamoQuarantineCodec::violation)
        .n(ATTEMPTS, item.attempts())
        .n(QUARANTINED_AT, item.quarantinedAt().toEpochMilli())
        .n(UPDATED_AT, item.updatedAt().toEpochMilli());
    item.editedData().ifPresent(v -> w.s(EDITED_DATA, v));
    item.editedSeal().ifPresent(v -> w.s(EDITED_SEAL, v));
    w.n(REDRIVE_COUNT, item.redriveCount())
        .maps(HISTORY, item.history(), DynamoQuarantineCodec::audit)
        .maps(ATTEMPT_LOG, item.attemptLog(), DynamoQuarantineCodec::attempt);
    item.nextAttemptAt().ifPresent(t -> w.n(NEXT_ATTEMPT_AT, t.toEpochMilli()));
    item.parkedBehind().ifPresent(h -> w.s(PARKED_BEHIND, h));
    w.n(GENERATION, item.generation());
    item.payloadInKafka().ifPresent(ref -> {
      w.bool(PAYLOAD_STORED, false)
          .n(PAYLOAD_SIZE, ref.size())
          .s(PAYLOAD_SHA256, ref.sha256());
      if (ref.headersInKafka()) {
        w.bool(HEADERS_IN_KAFKA, true);
      }
    });
    if (item.status().isOpen()) {
      item.lane().ifPresent(lane -> w.s(OPEN_LANE, lane));
    }
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
        optN(m, GENERATION).map(Long::intValue).orElse(0),
        m.containsKey(PAYLOAD_SHA256)
            ? Optional.of(new PayloadInKafka(optN(m, PAYLOAD_SIZE).orElse(0L), m.get(PAYLOAD_SHA256).s(),
                m.containsKey(HEADERS_IN_KAFKA) && Boolean.TRUE.equals(m.get(HEADERS_IN_KAFKA).bool())))
            : Optional.empty(),
        optS(m, EDITED_SEAL));
  }

  /**
   * The size DynamoDB counts for an item against its 400 KB limit, by its documented rules: each attribute's name in
   * UTF-8 plus its value (strings in UTF-8, binaries raw, numbers about one byte per two digits plus one, lists and
   * maps 3 bytes plus 1 per element plus their elements, nested map keys counted like names). An upper bound where
   * the rules leave room, so an item measured to fit does fit.
   */
  public static long itemBytes(Map<String, AttributeValue> item) {
    long bytes = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      bytes += utf8Length(e.getKey()) + valueBytes(e.getValue());
    }
    return bytes;
  }

  private static long valueBytes(AttributeValue v) {
    if (v.s() != null) {
      return utf8Length(v.s());
    }
    if (v.n() != null) {
      return v.n().length() / 2 + 2;
    }
    if (v.b() != null) {
      return v.b().asByteArrayUnsafe().length;
    }
    if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
      return 1;
    }
    long bytes = 3;
    if (v.hasL()) {
      for (AttributeValue e : v.l()) {
        bytes += 1 + valueBytes(e);
      }
    } else if (v.hasM()) {
      for (Map.Entry<String, AttributeValue> e : v.m().entrySet()) {
        bytes += 1 + utf8Length(e.getKey()) + valueBytes(e.getValue());
      }
    } else if (v.hasSs()) {
      for (String e : v.ss()) {
        bytes += utf8Length(e);
      }
    } else if (v.hasNs()) {
      for (String e : v.ns()) {
        bytes += e.length() / 2 + 2;
      }
    } else if (v.hasBs()) {
      for (var e : v.bs()) {
        bytes += e.asByteArrayUnsafe().length;
      }
    }
    return bytes;
  }

  private static long utf8Length(String s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        // A surrogate pair is one code point of 4 bytes.
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  static AttributeValue audit(AuditEntry a) {
    return AttributeValue.fromM(AttributeMaps.of(w -> audit(a, w)));
  }

  private static void audit(AuditEntry a, AttributeWriter w) {
    w.n("at", a.at().toEpochMilli()).s("action", a.action()).s("actor", a.actor()).s("detail", a.detail());
  }

  static AttributeValue attempts(List<HandlerAttempt> attempts) {
    return AttributeValue.fromL(attempts.stream().map(DynamoQuarantineCodec::attempt).toList());
  }

  /** One attempt-log entry; {@code stackTrace} only when the attempt has one. */
  static AttributeValue attempt(HandlerAttempt a) {
    return AttributeValue.fromM(AttributeMaps.of(w -> attempt(a, w)));
  }

  private static void attempt(HandlerAttempt a, AttributeWriter w) {
    w.n("at", a.at().toEpochMilli())
        .s("tier", a.tier().name())
        .s("errorClass", a.errorClass())
        .s("message", a.message());
    a.stackTrace().ifPresent(t -> w.s(STACK_TRACE, t));
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
    return AttributeValue.fromM(AttributeMaps.of(w -> violation(v, w)));
  }

  private static void violation(Violation v, AttributeWriter w) {
    w.s("pointer", v.pointer()).s("keyword", v.keyword()).s("message", v.message());
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
