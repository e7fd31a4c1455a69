package dev.sluice.gateway.http;

import dev.sluice.gateway.http.Problems.Problem;
import dev.sluice.ingest.Rejection;
import dev.sluice.gateway.registry.RegistryFailure;
import dev.sluice.gateway.registry.RegistryJson;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.registry.SchemaProblem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one place where registry failures become HTTP answers: problem+json (RFC 9457) like {@link Problems}, with
 * {@code violations} (JSON pointers into the request body, or into the schema document for a refused schema) and,
 * for an incompatible schema, {@code changes} (JSON pointers into the new schema).
 */
public final class RegistryProblems {
  private RegistryProblems() {}

  public static Problem of(RegistryFailure failure, String instance) {
    if (failure instanceof RegistryFailure.UnknownType f) {
      return problem(404, "unknown-type", "Unknown event type",
          "no schema is registered for type '" + f.type() + "'", instance);
    }
    if (failure instanceof RegistryFailure.UnknownVersion f) {
      return problem(404, "unknown-version", "Unknown schema version",
          "type '" + f.type() + "' has no version " + f.version(), instance);
    }
    if (failure instanceof RegistryFailure.InvalidVersion f) {
      return problem(400, "invalid-version", "Invalid schema version",
          "a version is a positive number or 'latest', was '" + f.version() + "'", instance);
    }
    if (failure instanceof RegistryFailure.UnknownStream f) {
      return problem(404, "unknown-stream", "Unknown stream", "there is no stream named '" + f.stream() + "'",
          instance);
    }
    if (failure instanceof RegistryFailure.UnsupportedMediaType f) {
      return problem(415, "unsupported-media-type", "Unsupported media type",
          "send the body as application/json (or a +json type); Content-Type was "
              + (f.contentType() == null ? "absent" : "'" + f.contentType() + "'"), instance);
    }
    if (failure instanceof RegistryFailure.MalformedJson f) {
      return problem(400, "malformed-json", "Malformed JSON", f.detail(), instance);
    }
    if (failure instanceof RegistryFailure.TooLarge f) {
      return problem(413, "payload-too-large", "Payload too large",
          "the request body exceeds the limit of " + f.limitBytes() + " bytes", instance);
    }
    if (failure instanceof RegistryFailure.SchemaRefused f) {
      Problem p = problem(422, "schema-refused", "Schema refused", "the schema cannot be registered for '" + f.type()
          + "': " + f.problems().stream().map(SchemaProblem::message).collect(Collectors.joining("; ")), instance);
      p.body().put("violations", RegistryJson.schemaProblems(f.problems()));
      return p;
    }
    if (failure instanceof RegistryFailure.Incompatible f) {
      String against = f.checkedAgainst().stream().map(String::valueOf).collect(Collectors.joining(", "));
      Problem p = problem(409, "incompatible-schema", "Incompatible schema",
          "the schema breaks " + f.level() + " compatibility of '" + f.type() + "'"
              + (against.isEmpty() ? "" : " with version" + (f.checkedAgainst().size() > 1 ? "s " : " ") + against)
              + ": " + f.changes().stream().map(BreakingChange::message).collect(Collectors.joining("; ")),
          instance);
      JsonArray changes = new JsonArray();
      for (BreakingChange c : f.changes()) {
        changes.add(new JsonObject().put("pointer", c.pointer()).put("rule", c.rule()).put("message", c.message()));
      }
      JsonArray checked = new JsonArray();
      f.checkedAgainst().forEach(checked::add);
      p.body().put("compatibility", f.level().name()).put("checkedAgainst", checked).put("changes", changes);
      return p;
    }
    if (failure instanceof RegistryFailure.InvalidBody f) {
      return withViolations(problem(422, "invalid-body", "Invalid request body", f.detail(), instance),
          f.violations());
    }
    if (failure instanceof RegistryFailure.StreamRefused f) {
      return withViolations(problem(422, "stream-refused", "Stream definition refused",
          "stream '" + f.stream() + "' cannot be stored: " + messages(f.violations()), instance), f.violations());
    }
    if (failure instanceof RegistryFailure.StreamConflict f) {
      return withViolations(problem(409, "stream-conflict", "Stream definition conflicts",
          "stream '" + f.stream() + "' cannot be changed that way: " + messages(f.conflicts()), instance),
          f.conflicts());
    }
    if (failure instanceof RegistryFailure.ValidationBusy) {
      // The same condition as at ingest, answered the same way.
      return Problems.of(new Rejection.ValidationBusy(), instance);
    }
    RegistryFailure.Unavailable f = (RegistryFailure.Unavailable) failure;
    Problem p = problem(503, "registry-unavailable", "Registry unavailable",
        "the registry change could not be confirmed in time; it may or may not have been applied, and retrying "
            + "the same request is safe (" + f.detail() + ")", instance);
    return new Problem(p.status(), p.body(), Map.of("Retry-After", Integer.toString(Problems.RETRY_AFTER_SECONDS)));
  }

  private static String messages(List<Violation> violations) {
    return violations.stream().map(Violation::message).collect(Collectors.joining("; "));
  }

  private static Problem withViolations(Problem p, List<Violation> violations) {
    JsonArray arr = new JsonArray();
    for (Violation v : violations) {
      arr.add(new JsonObject().put("pointer", v.pointer()).put("keyword", v.keyword()).put("message", v.message()));
    }
    p.body().put("violations", arr);
    return p;
  }

  private static Problem problem(int status, String slug, String title, String detail, String instance) {
    JsonObject body = new JsonObject()
        .put("type", Problems.TYPE_BASE + slug)
        .put("title", title)
        .put("status", status)
        .put("detail", detail)
        .put("instance", instance);
    return new Problem(status, body, Map.of());
  }
}
