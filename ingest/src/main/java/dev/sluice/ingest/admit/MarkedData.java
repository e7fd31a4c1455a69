package dev.sluice.ingest.admit;

import dev.sluice.schemas.marks.MarkedValue;
import java.util.List;
import java.util.Objects;

/**
 * Where the values an event's schema version marks sensitive stand in its data (a marked member that is absent is not
 * listed), and the data subject whose key protects them.
 */
public record MarkedData(String subject, List<MarkedValue> values) {
  public MarkedData {
    Objects.requireNonNull(subject, "subject");
    values = List.copyOf(values);
  }

  /** Only the subject, never the values: this may be logged by accident. */
  @Override
  public String toString() {
    return "MarkedData[" + values.size() + " value(s)]";
  }
}
