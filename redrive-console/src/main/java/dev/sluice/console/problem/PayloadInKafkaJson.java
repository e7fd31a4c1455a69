package dev.sluice.console.problem;

import dev.sluice.quarantine.store.PayloadInKafka;
import dev.sluice.quarantine.store.QuarantineItem;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Where the payload of an item too big for the store is kept, as JSON: the same object in the item's JSON and in the
 * problem that refuses to redrive it, so an operator reads one shape in both.
 */
public final class PayloadInKafkaJson {
  private PayloadInKafkaJson() {}

  /**
   * {@code topic}, {@code partition}, {@code offset}, {@code size}, {@code sha256} and {@code headersInKafka} (whether
   * the record's headers were too big for the item as well); empty when the payload is stored.
   */
  public static Optional<JsonObject> of(QuarantineItem item) {
    return item.payloadInKafka().map(ref -> json(item, ref));
  }

  private static JsonObject json(QuarantineItem item, PayloadInKafka ref) {
    return new JsonObject()
        .put("topic", item.topic())
        .put("partition", item.partition())
        .put("offset", item.offset())
        .put("size", ref.size())
        .put("sha256", ref.sha256())
        .put("headersInKafka", ref.headersInKafka());
  }
}
