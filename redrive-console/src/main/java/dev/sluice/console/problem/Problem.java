package dev.sluice.console.problem;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An RFC 9457 problem before it is rendered: an occurrence of a {@link ProblemType}.
 *
 * @param slug the last segment of the problem type URI, e.g. {@code redrive-conflict}
 * @param extensions extra members (e.g. {@code violations}, {@code parameter}); never null
 */
public record Problem(String slug, String title, int status, String detail, JsonObject extensions) {
  public static final String TYPE_BASE = "https://sluice.dev/problems/";
  public static final String CONTENT_TYPE = "application/problem+json";

  public Problem {
    Objects.requireNonNull(slug, "slug");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(detail, "detail");
    extensions = extensions == null ? new JsonObject() : extensions.copy();
  }

  public String type() {
    return TYPE_BASE + slug;
  }

  /** The problem document; {@code instance} is the request path the problem occurred at. */
  public JsonObject toJson(String instance) {
    JsonObject json = new JsonObject()
        .put("type", type())
        .put("title", title)
        .put("status", status)
        .put("detail", detail);
    if (instance != null) {
      json.put("instance", instance);
    }
    // Standard members win over an extension of the same name.
    extensions.forEach(e -> {
      if (!json.containsKey(e.getKey())) {
        json.put(e.getKey(), e.getValue());
      }
    });
    return json;
  }
}
