package dev.sluice.console.catalog;

import dev.sluice.schemas.JsonPointers;
import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.compat.CompatibilityChecker;
import dev.sluice.schemas.registry.SchemaVersion;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What changed from one schema version of a type to the next, two ways:
 *
 * <ul>
 *   <li>{@code lines}: a plain structural diff of the two schema documents, member by member: a member only in the
 *       newer one is {@code added} (its whole value), one only in the older is {@code removed}, and a value that
 *       differs where either side is not an object is {@code changed} (arrays are compared whole, so a
 *       {@code required} list shows once, before and after);
 *   <li>{@code backward} and {@code forward}: what the registry's compatibility checker says, whatever the type's level:
 *       the ways the newer schema rejects data the older accepted (readers on the newer version cannot read older
 *       events), and the ways the older rejects data the newer accepts (readers still on the older version cannot read
 *       newer events). Empty lists mean compatible that way.
 * </ul>
 *
 * <p>Pure: schemas in, JSON out. A version the checker cannot reason about (an unusable one) gets {@code checked:
 * false} and the structural lines only.
 */
public final class VersionDiff {
  private VersionDiff() {}

  /** The changes from {@code older} to {@code newer} as the catalog's JSON. */
  public static JsonObject between(SchemaVersion older, SchemaVersion newer) {
    JsonObject out = new JsonObject().put("from", older.version()).put("to", newer.version());
    List<JsonObject> lines = new ArrayList<>();
    lines(parse(older.schemaJson()), parse(newer.schemaJson()), "", lines);
    out.put("lines", new JsonArray(new ArrayList<>(lines)));
    if (!older.usable() || !newer.usable()) {
      return out.put("checked", false);
    }
    try {
      out.put("backward", changes(CompatibilityChecker.narrowings(older.schemaJson(), newer.schemaJson())));
      out.put("forward", changes(CompatibilityChecker.narrowings(newer.schemaJson(), older.schemaJson())));
      out.put("checked", true);
    } catch (RuntimeException cannotReason) {
      // The checker only reads schemas the compiler accepted; anything else it refuses is shown as unchecked.
      out.remove("backward");
      out.remove("forward");
      out.put("checked", false);
    }
    return out;
  }

  /** The structural lines from {@code before} to {@code after}, each {@code {op, pointer, before?, after?}}. */
  static void lines(Object before, Object after, String pointer, List<JsonObject> out) {
    if (before instanceof JsonObject b && after instanceof JsonObject a) {
      TreeSet<String> names = new TreeSet<>(b.fieldNames());
      names.addAll(a.fieldNames());
      for (String name : names) {
        String at = pointer + "/" + JsonPointers.escape(name);
        if (!b.containsKey(name)) {
          out.add(new JsonObject().put("op", "added").put("pointer", at).put("after", a.getValue(name)));
        } else if (!a.containsKey(name)) {
          out.add(new JsonObject().put("op", "removed").put("pointer", at).put("before", b.getValue(name)));
        } else {
          lines(b.getValue(name), a.getValue(name), at, out);
        }
      }
    } else if (!Objects.equals(before, after)) {
      out.add(new JsonObject().put("op", "changed").put("pointer", pointer.isEmpty() ? "/" : pointer)
          .put("before", before).put("after", after));
    }
  }

  private static JsonArray changes(List<BreakingChange> changes) {
    JsonArray out = new JsonArray();
    for (BreakingChange c : changes) {
      out.add(new JsonObject().put("pointer", c.pointer()).put("rule", c.rule()).put("message", c.message()));
    }
    return out;
  }

  /** A registered schema is JSON; one that is not reads as its text, so the diff still shows that it changed. */
  static Object parse(String json) {
    try {
      return Json.decodeValue(json);
    } catch (DecodeException notJson) {
      return json;
    }
  }
}
