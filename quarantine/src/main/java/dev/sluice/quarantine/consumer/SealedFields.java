package dev.sluice.quarantine.consumer;

import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.marks.DataSubject;
import dev.sluice.schemas.marks.MarkedValue;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What unsealing a ready event needs, as the triage found it in the record as it is on the ledger (sealed): where the
 * values its schema version marks stand in its data, whose data it is, and its {@code sluice-sealed} header as read.
 * Found once, by the pure triage, so that every path that calls the handler unseals from the same facts.
 *
 * @param values each marked value present in the data, with its span in the (sealed) data text
 * @param subject the data subject the data names, or why it names none usable
 * @param header empty when the record has no {@code sluice-sealed} header; else the header parsed, or why it did not
 *     parse
 */
public record SealedFields(List<MarkedValue> values, DataSubject subject, Optional<SealHeader.Parsed> header) {
  public SealedFields {
    values = List.copyOf(values);
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(header, "header");
  }

  /** Whether there is nothing to unseal: no marked value present and no header (the data is handed on as it is). */
  public boolean nothingSealed() {
    return values.isEmpty() && header.isEmpty();
  }

  /**
   * The record's {@code sluice-sealed} header as read: empty without one; a record with several is
   * {@link SealHeader.Parsed.Invalid} (which one sealed it cannot be told).
   */
  static Optional<SealHeader.Parsed> headerOf(List<KafkaHeader> headers) {
    KafkaHeader found = null;
    for (KafkaHeader h : headers) {
      if (SealHeader.NAME.equals(h.key())) {
        if (found != null) {
          return Optional.of(new SealHeader.Parsed.Invalid(
              "the " + SealHeader.NAME + " header appears more than once"));
        }
        found = h;
      }
    }
    return found == null ? Optional.empty() : Optional.of(SealHeader.parse(found.value()));
  }
}
