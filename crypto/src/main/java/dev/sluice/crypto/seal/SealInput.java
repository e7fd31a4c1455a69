package dev.sluice.crypto.seal;

import dev.sluice.schemas.marks.MarkedValue;
import java.util.List;
import java.util.Objects;

/**
 * What sealing an event needs: the event, its data subject, its data text, and where the values marked sensitive stand
 * in that text (from the schema version the event is pinned to).
 */
public record SealInput(EventRef event, String subject, String data, List<MarkedValue> marks) {
  public SealInput {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(data, "data");
    marks = List.copyOf(marks);
  }
}
