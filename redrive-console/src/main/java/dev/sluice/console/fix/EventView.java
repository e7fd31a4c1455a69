package dev.sluice.console.fix;

import dev.sluice.console.json.ItemJson;
import dev.sluice.quarantine.store.QuarantineItem;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The event as a group patch sees it: {@code {"id", "type", "key", "data"}}, so that patch paths read like violation
 * pointers ({@code /data/price}).
 *
 * <p>Only {@code /data} and what lies under it may change ({@link #WRITABLE}): a redrive replaces an event's data and
 * nothing else, so a patch that changed the id, type or key would promise something the redrive cannot do. The other
 * members are there to be read: a {@code test} on {@code /type} guards a patch, a {@code copy} from {@code /key} fills
 * a field from the partition key.
 *
 * <p>{@code data} is what a redrive would send: the operator's earlier edit if there is one, else the original data.
 */
public final class EventView {
  public static final JsonPointer DATA = new JsonPointer(java.util.List.of("data"));
  public static final String WRITABLE = "only /data and what lies under it may change: a redrive replaces the data, "
      + "not the event's id, type or key (which a test or a copy may read)";

  private EventView() {}

  /** The data a redrive of this item would send now, as JSON text. */
  public static Optional<String> currentData(QuarantineItem item) {
    return item.editedData().isPresent() ? item.editedData() : ItemJson.originalData(item);
  }

  /** The view, or empty when the item's data is not JSON (nothing a patch could address). */
  public static Optional<JsonObject> of(QuarantineItem item) {
    return currentData(item).flatMap(data -> of(item, data));
  }

  /** The view with {@code data} (the item's current data, its sealed values opened), or empty when it is not JSON. */
  public static Optional<JsonObject> of(QuarantineItem item, String data) {
    if (data.isBlank()) {
      return Optional.empty();
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(data);
    } catch (DecodeException notJson) {
      return Optional.empty();
    }
    return Optional.of(new JsonObject()
        .put("id", item.eventId().orElse(null))
        .put("type", item.eventType().orElse(null))
        .put("key", item.key().orElse(null))
        .put("data", parsed));
  }

  public static boolean writable(JsonPointer path) {
    return path.startsWith(DATA);
  }
}
