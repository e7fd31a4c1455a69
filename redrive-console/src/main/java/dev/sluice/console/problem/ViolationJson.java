package dev.sluice.console.problem;

import dev.sluice.schemas.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Violations as {@code [{pointer, keyword, message}]}, the shape the gateway's 422 uses too. */
public final class ViolationJson {
  private ViolationJson() {}

  public static JsonArray of(List<Violation> violations) {
    JsonArray out = new JsonArray();
    for (Violation v : violations) {
      out.add(new JsonObject().put("pointer", v.pointer()).put("keyword", v.keyword()).put("message", v.message()));
    }
    return out;
  }
}
