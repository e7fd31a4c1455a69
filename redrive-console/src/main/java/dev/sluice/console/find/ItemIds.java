package dev.sluice.console.find;

import static dev.sluice.console.problem.ConsoleFailure.orFail;

import dev.sluice.console.problem.ConsoleError.BadParameter;
import dev.sluice.console.problem.ConsoleError.ItemNotFound;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStore;
import io.vertx.core.Future;
import java.util.regex.Pattern;

/**
 * Quarantine item ids as requests give them. Ids are UUIDs; anything unlike an id names no item, and is refused
 * before it reaches the store, with a {@link ConsoleFailure} that says so.
 */
public final class ItemIds {
  private static final Pattern ITEM_ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
  /** How much of a bad id the 404 repeats. */
  private static final int SHOWN = 40;

  private ItemIds() {}

  /** An id in the path ({@code /api/v1/quarantine/:id/...}): a bad one is a 404, as for an id that names no item. */
  public static String checked(String id) {
    if (id == null || !ITEM_ID.matcher(id).matches()) {
      throw new ConsoleFailure(new ItemNotFound(id == null ? "" : id.length() > SHOWN ? id.substring(0, SHOWN) + "…"
          : id));
    }
    return id;
  }

  /**
   * The item the path's id names, read from {@code store}: failed with a 404 for an id unlike an id (never asked of
   * the store) or for one no item has.
   */
  public static Future<QuarantineItem> existing(QuarantineStore store, String id) {
    return Future.succeededFuture()
        .compose(v -> store.get(checked(id)))
        .compose(found -> orFail(found, new ItemNotFound(id)));
  }

  /** An item id given as a query parameter: a bad one is a 400 naming the parameter, not a 404. */
  public static String checkedParameter(String id) {
    if (!ITEM_ID.matcher(id).matches()) {
      throw new ConsoleFailure(new BadParameter("itemId", "not an item id"));
    }
    return id;
  }
}
