package dev.sluice.quarantine.store;

import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.KafkaHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A new item too big for the store, made small enough to be written whatever part of its record was big: the
 * payload always goes (its Kafka record keeps it), the headers too when they weigh more than
 * {@value #HEADERS_KEPT_BYTES} bytes (the record keeps them as well), and the error message and violations are cut
 * to bounds. An item that still did not fit would never be written, and its partition could never commit past it.
 *
 * <p>What stays unbounded is the record's key, which the item needs to hold its key's order: with every other part
 * bounded, a key of up to about 200 KB still fits.
 */
final class OutOfLine {
  /** Headers weighing more than this (names and values) are left in the record. */
  static final int HEADERS_KEPT_BYTES = 64 * 1024;
  /** The most of an error message kept. */
  static final int ERROR_MESSAGE_CHARS = 4 * 1024;
  /** The most violations kept, and the most characters of each one's pointer and message. */
  static final int VIOLATIONS_KEPT = 100;
  static final int VIOLATION_CHARS = 1_000;

  private OutOfLine() {}

  /** {@code item} without its payload and with its other big parts bounded; what was left out is added to the note. */
  static QuarantineItem of(QuarantineItem item, AuditEntry note) {
    if (item.partition() < 0) {
      throw new IllegalStateException("item " + item.id() + " was never appended to Kafka: its payload has no record");
    }
    StringBuilder detail = new StringBuilder(note.detail());
    PayloadInKafka ref = PayloadInKafka.of(item.payload());
    List<KafkaHeader> headers = item.headers();
    long headerBytes = headerBytes(headers);
    if (headerBytes > HEADERS_KEPT_BYTES) {
      ref = ref.withHeadersInKafka();
      headers = List.of();
      detail.append("; its ").append(item.headers().size()).append(" header(s) (").append(headerBytes)
          .append(" bytes) are kept in Kafka too");
    }
    String errorMessage = cut(item.errorMessage(), ERROR_MESSAGE_CHARS);
    if (errorMessage.length() < item.errorMessage().length()) {
      detail.append("; the error message is cut to its first ").append(ERROR_MESSAGE_CHARS).append(" characters");
    }
    List<Violation> violations = violations(item.violations());
    if (violations.size() < item.violations().size()) {
      detail.append("; ").append(violations.size()).append(" of ").append(item.violations().size())
          .append(" violations kept");
    }
    List<AuditEntry> history = new ArrayList<>(item.history());
    history.add(new AuditEntry(note.at(), note.action(), note.actor(), detail.toString()));
    // A delayed retry and a release read the payload from the store, so the item is QUARANTINED, not RETRYING or
    // PARKED: it holds its key like any open item until an operator acts on it.
    QuarantineStatus status = item.status().isOpen() ? QuarantineStatus.QUARANTINED : item.status();
    return new QuarantineItem(item.id(), status, item.stream(), item.group(), item.topic(), item.partition(),
        item.offset(), item.key(), new byte[0], headers, item.eventId(), item.eventType(), item.reason(),
        item.errorClass(), errorMessage, violations, item.attempts(), item.quarantinedAt(), item.updatedAt(),
        item.editedData(), item.redriveCount(), history, item.attemptLog(), Optional.empty(), item.parkedBehind(),
        item.generation(), Optional.of(ref), item.editedSeal());
  }

  static long headerBytes(List<KafkaHeader> headers) {
    long bytes = 0;
    for (KafkaHeader h : headers) {
      bytes += h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    return bytes;
  }

  private static List<Violation> violations(List<Violation> all) {
    List<Violation> kept = new ArrayList<>(Math.min(all.size(), VIOLATIONS_KEPT));
    for (Violation v : all.subList(0, Math.min(all.size(), VIOLATIONS_KEPT))) {
      kept.add(new Violation(cut(v.pointer(), VIOLATION_CHARS), v.keyword(), cut(v.message(), VIOLATION_CHARS)));
    }
    return kept;
  }

  private static String cut(String text, int chars) {
    return text.length() <= chars ? text : text.substring(0, chars);
  }
}
