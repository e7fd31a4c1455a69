package dev.sluice.console.fix;

import java.util.Map;
import java.util.Optional;

/**
 * Items' current data with their sealed values opened, for a patch to apply to: by item id, the data in the clear, or
 * why it could not be opened (a forgotten subject's values, a value moved from elsewhere). Held in memory for one
 * request only.
 */
public record OpenedItems(Map<String, String> opened, Map<String, String> refused) {
  /** Nothing opened: every item is patched as stored. */
  public static final OpenedItems NONE = new OpenedItems(Map.of(), Map.of());

  public OpenedItems {
    opened = Map.copyOf(opened);
    refused = Map.copyOf(refused);
  }

  Optional<String> data(String id) {
    return Optional.ofNullable(opened.get(id));
  }

  Optional<String> refusal(String id) {
    return Optional.ofNullable(refused.get(id));
  }
}
