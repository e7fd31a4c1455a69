package dev.sluice.quarantine.store;

import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.KafkaHeader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
 * @param attemptLog every handler call made for this event, oldest first (each delivery's in-place attempts, delayed
 *     retries, redrives), with time, tier and error
 * @param nextAttemptAt when a RETRYING item's next delayed attempt is due
 * @param parkedBehind for an item PARKED behind an open item with the same key: that item's id (the head when it was
 *     parked); the Kafka offset orders the parked items of a key
 * @param generation how many times the event was delivered again from the store (delayed retries and redrives) after
 *     its first delivery; the handler sees it as the {@code sluice-redrive-generation} header
 * @param payloadInKafka for an item too big for the store: its payload is not stored ({@code payload} is empty) and
 *     is kept by its Kafka record at the item's topic, partition and offset, with this size and SHA-256
 * @param editedSeal the {@code sluice-sealed} header (its JSON text) that goes with {@code editedData} on redrive,
 *     in place of the record's own: the console seals an edit's marked values before it stores it, so the edit says
 *     itself which key sealed which of its values; empty when the edit seals nothing (or there is no edit)
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
    List<AuditEntry> history,
    List<HandlerAttempt> attemptLog,
    Optional<Instant> nextAttemptAt,
    Optional<String> parkedBehind,
    int generation,
    Optional<PayloadInKafka> payloadInKafka,
    Optional<String> editedSeal) {

  public QuarantineItem {
    // Every component is required (Optional where it may be absent): List.of refuses a null one, at once.
    List.of(id, status, stream, group, topic, reason, quarantinedAt, updatedAt, nextAttemptAt, parkedBehind,
        payloadInKafka, editedSeal);
    payload = payload == null ? new byte[0] : payload;
    headers = List.copyOf(headers);
    violations = List.copyOf(violations);
    history = List.copyOf(history);
    attemptLog = List.copyOf(attemptLog);
    errorClass = errorClass == null ? "" : errorClass;
    errorMessage = errorMessage == null ? "" : errorMessage;
  }

  /** An item whose edit, if any, seals nothing: as every item was before edits were sealed. */
  public QuarantineItem(
      String id, QuarantineStatus status, String stream, String group, String topic, int partition, long offset,
      Optional<String> key, byte[] payload, List<KafkaHeader> headers, Optional<String> eventId,
      Optional<String> eventType, QuarantineReason reason, String errorClass, String errorMessage,
      List<Violation> violations, int attempts, Instant quarantinedAt, Instant updatedAt, Optional<String> editedData,
      int redriveCount, List<AuditEntry> history, List<HandlerAttempt> attemptLog, Optional<Instant> nextAttemptAt,
      Optional<String> parkedBehind, int generation, Optional<PayloadInKafka> payloadInKafka) {
    this(id, status, stream, group, topic, partition, offset, key, payload, headers, eventId, eventType, reason,
        errorClass, errorMessage, violations, attempts, quarantinedAt, updatedAt, editedData, redriveCount, history,
        attemptLog, nextAttemptAt, parkedBehind, generation, payloadInKafka, Optional.empty());
  }

  /** An item whose payload is stored, as every item was before big ones were kept in Kafka. */
  public QuarantineItem(
      String id, QuarantineStatus status, String stream, String group, String topic, int partition, long offset,
      Optional<String> key, byte[] payload, List<KafkaHeader> headers, Optional<String> eventId,
      Optional<String> eventType, QuarantineReason reason, String errorClass, String errorMessage,
      List<Violation> violations, int attempts, Instant quarantinedAt, Instant updatedAt, Optional<String> editedData,
      int redriveCount, List<AuditEntry> history, List<HandlerAttempt> attemptLog, Optional<Instant> nextAttemptAt,
      Optional<String> parkedBehind, int generation) {
    this(id, status, stream, group, topic, partition, offset, key, payload, headers, eventId, eventType, reason,
        errorClass, errorMessage, violations, attempts, quarantinedAt, updatedAt, editedData, redriveCount, history,
        attemptLog, nextAttemptAt, parkedBehind, generation, Optional.empty());
  }

  /** An item as written before attempt logs, retries and parking existed: none of those. */
  public QuarantineItem(
      String id, QuarantineStatus status, String stream, String group, String topic, int partition, long offset,
      Optional<String> key, byte[] payload, List<KafkaHeader> headers, Optional<String> eventId,
      Optional<String> eventType, QuarantineReason reason, String errorClass, String errorMessage,
      List<Violation> violations, int attempts, Instant quarantinedAt, Instant updatedAt, Optional<String> editedData,
      int redriveCount, List<AuditEntry> history) {
    this(id, status, stream, group, topic, partition, offset, key, payload, headers, eventId, eventType, reason,
        errorClass, errorMessage, violations, attempts, quarantinedAt, updatedAt, editedData, redriveCount, history,
        List.of(), Optional.empty(), Optional.empty(), 0);
  }

  /**
   * The headers its redrive goes with, given its record's: the record's own, except that an operator's edit brings
   * its own {@code sluice-sealed} header ({@link #editedSeal}: the console sealed the edit's marked values with the
   * subject's current key), which replaces the record's; an edit that seals nothing has none.
   */
  public List<KafkaHeader> headersForRedrive(List<KafkaHeader> recordHeaders) {
    if (editedData.isEmpty()) {
      return recordHeaders;
    }
    List<KafkaHeader> out = new ArrayList<>(recordHeaders.size() + 1);
    for (KafkaHeader h : recordHeaders) {
      if (!SealHeader.NAME.equals(h.key())) {
        out.add(h);
      }
    }
    editedSeal.ifPresent(seal -> out.add(KafkaHeader.of(SealHeader.NAME, seal)));
    return List.copyOf(out);
  }

  /** Whether the payload is in the store; when not, its Kafka record keeps it ({@link #payloadInKafka}). */
  public boolean payloadStored() {
    return payloadInKafka.isEmpty();
  }

  /**
   * This new item without its payload, which its Kafka record keeps ({@link PayloadInKafka}), with {@code note} in
   * its history, and its other parts bounded so that it fits whatever part of the record was big ({@link OutOfLine}:
   * big headers stay in the record too). A delayed retry and a release read the payload from the store, so such an
   * item is never RETRYING or PARKED: it is QUARANTINED (open, holding its key like any open item) for an operator to
   * act on, keeping its reason.
   */
  public QuarantineItem withPayloadInKafka(AuditEntry note) {
    return OutOfLine.of(this, note);
  }

  /** Whether the record's headers are in the item; when not, its Kafka record keeps them ({@link #payloadInKafka}). */
  public boolean headersStored() {
    return payloadInKafka.map(ref -> !ref.headersInKafka()).orElse(true);
  }

  /**
   * The open lane an item belongs to while it is open: its group, topic and partition. Items captured at ingress
   * (never appended) belong to none. Topic names cannot contain '|', so the value reads unambiguously from the right.
   */
  public Optional<String> lane() {
    return partition < 0 ? Optional.empty() : Optional.of(laneOf(group, topic, partition));
  }

  public static String laneOf(String group, String topic, int partition) {
    return group + '|' + topic + '|' + partition;
  }

  /**
   * The group of items captured at ingress: events the gateway refused, so never appended. They have no partition or
   * offset ({@link #NOT_APPENDED}); their payload is the HTTP body and their headers the HTTP request headers.
   */
  public static final String INGRESS_GROUP = "ingress";
  /** Partition and offset of an item whose event was never appended to Kafka. */
  public static final int NOT_APPENDED = -1;

  /** The id of the item for a record: the same record read again by the same group always maps to the same item. */
  public static String idFor(String group, String topic, int partition, long offset) {
    String natural = group + '\u0000' + topic + '\u0000' + partition + '\u0000' + offset;
    return nameUuid(natural);
  }

  /**
   * The id of the item for a record read again by a rewind of its group ({@code pass}: the rewind's replay id): a
   * delivery of its own, so its item never collides with the item the first pass may have made of the same record.
   * The same record read again by the same rewind (a restart within it) maps to the same item. Without a pass, the
   * first pass's id ({@link #idFor(String, String, int, long)}).
   */
  public static String idFor(String group, String topic, int partition, long offset, Optional<String> pass) {
    if (pass.isEmpty()) {
      return idFor(group, topic, partition, offset);
    }
    String natural = group + '\u0000' + topic + '\u0000' + partition + '\u0000' + offset + '\u0000' + "rewind:"
        + pass.get();
    return nameUuid(natural);
  }

  /**
   * The id of the item for a request refused at ingress: the same request (stream, CloudEvent source and id, body
   * bytes) sent again maps to the same item, so a producer retrying a bad event makes one item, not one per retry.
   * Source and id may be null (the body could not be read as a CloudEvent); the body hash then tells requests apart.
   */
  public static String ingressIdFor(String stream, String source, String eventId, byte[] body) {
    String natural = INGRESS_GROUP + '\u0000' + stream + '\u0000' + orAbsent(source) + '\u0000' + orAbsent(eventId)
        + '\u0000' + sha256Hex(body == null ? new byte[0] : body);
    return nameUuid(natural);
  }

  /**
   * {@link UUID#nameUUIDFromBytes} of the string's UTF-8 bytes (a version 3, MD5 name-based UUID), the same value, with
   * one MD5 digest per thread instead of one looked up from the security providers per call: every poison record's
   * item id is made on the event loop.
   */
  static String nameUuid(String name) {
    MessageDigest md5 = MD5.get();
    md5.reset();
    byte[] hash = md5.digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] &= 0x0f;
    hash[6] |= 0x30;
    hash[8] &= 0x3f;
    hash[8] |= (byte) 0x80;
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (hash[i] & 0xff);
    }
    for (int i = 8; i < 16; i++) {
      lsb = (lsb << 8) | (hash[i] & 0xff);
    }
    return new UUID(msb, lsb).toString();
  }

  /** A digest per thread: MessageDigest is not thread-safe, and ids are made on every event loop and worker. */
  private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 not supported", e);
    }
  });

  private static String orAbsent(String v) {
    // Every string gets a '=' prefix, so an absent value never reads the same as any present one, "" included.
    return v == null ? "\u0001" : "=" + v;
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
