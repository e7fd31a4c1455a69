package dev.sluice.quarantine.consumer;

import dev.sluice.schemas.event.CloudEvent;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * What a handler receives: a CloudEvent whose data already passed its type's schema, and where it came from.
 *
 * @param redriven true when an operator redrove the event from the quarantine, rather than it being read from Kafka
 */
public record ConsumedEvent(
    CloudEvent event, String stream, String group, String topic, int partition, long offset, Optional<String> key,
    boolean redriven) {

  /** The event's data as a JSON object (every schema in the catalog describes an object). */
  public JsonObject data() {
    return new JsonObject(event.data());
  }

  public String type() {
    return event.type();
  }
}
