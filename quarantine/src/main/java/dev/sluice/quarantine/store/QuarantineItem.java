package dev.sluice.quarantine.store;

import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.KafkaHeader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A diverted event with everything needed to understand, fix and redrive it.
 *
 * @param id deterministic from (group, topic, partition, offset), so a re-delivery after a crash finds the same item
 * @param stream the stream the topic belongs to (the topic itself if no stream claims it)
 * @param key the record key as UTF-8 text, if any
 * @param payload the record value exactly as read
 * @param headers the record headers exactly as read
 * @param eventId the CloudEvent id, when the record was a CloudEvent
 * @param eventType the CloudEvent type, when the record was a CloudEvent
 * @param violations schema or CloudEvents violations, when those were the reason
 * @param attempts handler attempts so far (0 for poison that never reached the handler)
 * @param editedData operator-fixed data that replaces the original data on redrive, if any
 */
public record QuarantineItem(
    String id,
    QuarantineStatus status,
    String stream,
    String group,
    String topic,
    int partition,
    long offset,
    Optional<String> key,
    byte[] payload,
    List<KafkaHeader> headers,
    Optional<String> eventId,
    Optional<String> eventType,
    QuarantineReason reason,
    String errorClass,
    String errorMessage,
    List<Violation> violations,
    int attempts,
    Instant quarantinedAt,
    Instant updatedAt,
    Optional<String> editedData,
    int redriveCount,
    List<AuditEntry> history) {

  public QuarantineItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(quarantinedAt, "quarantinedAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    payload = payload == null ? new byte[0] : payload;
    headers = List.copyOf(headers);
    violations = List.copyOf(violations);
    history = List.copyOf(history);
    errorClass = errorClass == null ? "" : errorClass;
    errorMessage = errorMessage == null ? "" : errorMessage;
  }

  /** The id of the item for a record: the same record read again by the same group always maps to the same item. */
  public static String idFor(String group, String topic, int partition, long offset) {
    String natural = group + '\u0000' + topic + '\u0000' + partition + '\u0000' + offset;
    return UUID.nameUUIDFromBytes(natural.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
