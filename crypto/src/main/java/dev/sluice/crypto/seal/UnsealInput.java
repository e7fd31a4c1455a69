package dev.sluice.crypto.seal;

import dev.sluice.schemas.marks.MarkedValue;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What unsealing a record needs: the event, the data subject its data names, its sealed data text, where the marked
 * values stand in that text (located with the schema version the record is pinned to), and its {@code sluice-sealed}
 * header if it had one ({@link SealHeader#parse}; a header that does not parse is a
 * {@link SealFailure.SealMismatch}, which {@link SealFailure#unreadableHeader} makes).
 */
public record UnsealInput(EventRef event, String subject, String data, List<MarkedValue> marks,
    Optional<SealHeader> header) {
  public UnsealInput {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(data, "data");
    marks = List.copyOf(marks);
    Objects.requireNonNull(header, "header");
  }
}
