package dev.sluice.schemas.event;

import java.util.Map;
import java.util.Objects;

/**
 * A CloudEvent (specification 1.0) whose {@code data} is JSON text.
 *
 * <p>Only the attributes are modelled; {@code data} stays the exact JSON text the producer sent, so that what is
 * appended to Kafka and what lands in the quarantine is byte-for-byte the producer's payload.
 *
 * @param extensions extension attributes, lower-case names, string values
 */
public record CloudEvent(
    String specversion,
    String id,
    String source,
    String type,
    String datacontenttype,
    String dataschema,
    String subject,
    String time,
    Map<String, String> extensions,
    String data) {

  public CloudEvent {
    extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    Objects.requireNonNull(data, "data");
  }

  /** The same event with other data, as when an operator fixes it before a redrive. */
  public CloudEvent withData(String newData) {
    return new CloudEvent(specversion, id, source, type, datacontenttype, dataschema, subject, time, extensions, newData);
  }
}
