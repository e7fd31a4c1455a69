package dev.sluice.deploy.capture;

import dev.sluice.gateway.capture.RejectSink;
import dev.sluice.gateway.capture.RejectedEvent;
import dev.sluice.gateway.capture.SensitiveBody;
import dev.sluice.ingest.IngestProblem;
import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Keeps requests the gateway refused as quarantine items of group {@value QuarantineItem#INGRESS_GROUP}, so operators
 * see what producers send wrong and can fix and redrive it (it was never appended).
 *
 * <p>An item holds the stream and its topic, partition and offset {@value QuarantineItem#NOT_APPENDED}, the HTTP
 * body as payload, the HTTP request headers (lower-case names, only those {@link RejectedEvent} keeps, so never a
 * credential; {@code content-type} and {@code traceparent} always included when the request had them),
 * the CloudEvent id and type when they could be read, the reason and the violations.
 *
 * <p>The item id comes from (ingress, stream, source, id, SHA-256 of the body), and the store creates an item only if
 * its id is new (a conditional write): a producer retrying the same bad request makes one item.
 *
 * <p>DynamoDB items are limited to 400 KB: a body over {@value #MAX_PAYLOAD_BYTES} bytes is not stored (the item says
 * so), and at most {@value #MAX_VIOLATIONS} violations are.
 */
public final class QuarantineRejectSink implements RejectSink {
  public static final int MAX_PAYLOAD_BYTES = 256 * 1024;
  public static final int MAX_VIOLATIONS = 100;
  public static final String ACTOR = "gateway";

  private final QuarantineStore store;

  public QuarantineRejectSink(QuarantineStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public Future<Void> capture(RejectedEvent e) {
    return store.consumer().quarantine(item(e)).mapEmpty();
  }

  static QuarantineItem item(RejectedEvent e) {
    byte[] body = e.body();
    QuarantineReason reason = reasonFor(e.reason());
    List<Violation> violations = e.violations().size() > MAX_VIOLATIONS
        ? e.violations().subList(0, MAX_VIOLATIONS)
        : e.violations();
    StringBuilder message = new StringBuilder("refused at ingress: ").append(e.reason().label());
    if (!e.violations().isEmpty()) {
      message.append(", ").append(e.violations().size()).append(e.violations().size() == 1 ? " violation" : " violations");
      if (violations.size() < e.violations().size()) {
        message.append(" (the first ").append(MAX_VIOLATIONS).append(" kept)");
      }
    }
    byte[] payload = body;
    if (body.length > MAX_PAYLOAD_BYTES) {
      payload = new byte[0];
      message.append("; the body of ").append(body.length).append(" bytes was not kept (over ")
          .append(MAX_PAYLOAD_BYTES).append(" bytes)");
    }
    switch (e.withheld()) {
      case VALUES -> message.append("; the values its schema marks sensitive were kept as \"sluice:withheld\"");
      case BODY -> message.append("; the body was not kept: its stream carries values marked sensitive, and they "
          + "could not be found in it");
      case NOTHING -> { }
    }
    // A body kept whole or without its marked values names the request: the same one sent again is the same item.
    // Without any body, requests could no longer be told apart, so each refusal is an item of its own (the capture's
    // rate cap still bounds them).
    String id = e.withheld() == SensitiveBody.Withheld.BODY ? UUID.randomUUID().toString()
        : QuarantineItem.ingressIdFor(e.stream(), e.source(), e.eventId(), body);

    List<KafkaHeader> headers = new ArrayList<>();
    e.headers().forEach((name, value) -> headers.add(KafkaHeader.of(name, value)));
    if (e.contentType() != null && !e.headers().containsKey("content-type")) {
      headers.add(KafkaHeader.of("content-type", e.contentType()));
    }
    if (e.traceparent() != null && !e.headers().containsKey("traceparent")) {
      headers.add(KafkaHeader.of("traceparent", e.traceparent()));
    }

    return new QuarantineItem(
        id,
        QuarantineStatus.QUARANTINED,
        e.stream(),
        QuarantineItem.INGRESS_GROUP,
        e.topic(),
        QuarantineItem.NOT_APPENDED,
        QuarantineItem.NOT_APPENDED,
        Optional.empty(),
        payload,
        headers,
        Optional.ofNullable(e.eventId()),
        Optional.ofNullable(e.type()),
        reason,
        "ingress:" + e.reason().label(),
        message.toString(),
        violations,
        0,
        e.at(),
        e.at(),
        Optional.empty(),
        0,
        List.of(new AuditEntry(e.at(), "QUARANTINED", ACTOR, message.toString())));
  }

  /** The quarantine reason closest to the gateway's: the consumer side uses the same words for the same faults. */
  static QuarantineReason reasonFor(IngestProblem reason) {
    return switch (reason) {
      case SCHEMA_VIOLATION, MISSING_PARTITION_KEY, PARTITION_KEY_EXTENSION_NOT_ALLOWED, UNSUPPORTED_DATASCHEMA,
          INVALID_DATA_SUBJECT -> QuarantineReason.SCHEMA_VIOLATION;
      case TYPE_NOT_ACCEPTED, UNKNOWN_SCHEMA_VERSION, NO_SCHEMA -> QuarantineReason.UNKNOWN_TYPE;
      case MALFORMED_JSON, MALFORMED_DATA, INVALID_UTF8, DUPLICATE_KEY, TRAILING_CONTENT -> QuarantineReason.MALFORMED;
      case NOT_A_CLOUDEVENT, INVALID_CLOUDEVENT, UNSUPPORTED_MEDIA_TYPE -> QuarantineReason.NOT_A_CLOUDEVENT;
      // RejectedEvent refuses the others; kept total so a new problem type is a compile-time decision here.
      // Limit breaches are not kept: they are the shape of hostile input, and keeping them would store it.
      case UNKNOWN_STREAM, PAYLOAD_TOO_LARGE, RECORD_TOO_LARGE, BROKER_UNAVAILABLE, VALIDATION_BUSY, KEY_UNAVAILABLE,
          NESTING_TOO_DEEP, NUMBER_TOO_LONG, STRING_TOO_LONG, INPUT_LIMIT_EXCEEDED, NOT_A_BATCH, EMPTY_BATCH,
          BATCH_TOO_LARGE, INVALID_PARAMETER, UNREADABLE_EVENT ->
          throw new IllegalArgumentException(reason + " rejections are not captured");
    };
  }
}
