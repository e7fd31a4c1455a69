package dev.sluice.console.problem;

import dev.sluice.ingest.problem.ProblemType;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An RFC 9457 problem before it is rendered: an occurrence of a {@link ProblemType}.
 *
 * @param slug the last segment of the problem type URI, e.g. {@code redrive-conflict}
 * @param extensions extra members (e.g. {@code violations}, {@code parameter}); never null
 */
public record Problem(String slug, String title, int status, String detail, JsonObject extensions) {
  public static final String TYPE_BASE = ProblemType.TYPE_BASE;
  public static final String CONTENT_TYPE = "application/problem+json";

  public Problem {
    Objects.requireNonNull(slug, "slug");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(detail, "detail");
    extensions = extensions == null ? new JsonObject() : extensions.copy();
  }

  /** An occurrence of {@code type}, answered with its own status. */
  public static Problem of(ProblemType type, String detail, JsonObject members) {
    return of(type, type.status(), detail, members);
  }

  /** An occurrence of {@code type} answered with another status, where the console's context decides it. */
  public static Problem of(ProblemType type, int status, String detail, JsonObject members) {
    return new Problem(type.slug(), type.title(), status, detail, members);
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
