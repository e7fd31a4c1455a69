package dev.sluice.gateway.http;

import dev.sluice.gateway.ingest.CloudEventHttpReader;
import dev.sluice.gateway.ingest.Rejection;
import dev.sluice.schemas.Violation;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The one place where errors become HTTP answers: {@code application/problem+json} (RFC 9457) with {@code type},
 * {@code title}, {@code status}, {@code detail}, {@code instance}, and {@code violations} (JSON pointers into the
 * event) where there are any.
 */
public final class Problems {
  public static final String MEDIA_TYPE = "application/problem+json";
  public static final String TYPE_BASE = "https://sluice.dev/problems/";
  /** Seconds a client should wait before retrying after a 503. */
  public static final int RETRY_AFTER_SECONDS = 5;

  private Problems() {}

  /** A problem ready to send: status, body, and extra headers (e.g. Retry-After). */
  public record Problem(int status, JsonObject body, Map<String, String> headers) {
    public Problem {
      headers = Map.copyOf(headers);
    }
  }

  public static Problem of(Rejection rejection, String instance) {
    if (rejection instanceof Rejection.UnknownStream r) {
      return problem(404, "unknown-stream", "Unknown stream", "there is no stream named '" + r.stream() + "'",
          instance, null);
    }
    if (rejection instanceof Rejection.UnsupportedMediaType r) {
      return problem(415, "unsupported-media-type", "Unsupported media type",
          "send one CloudEvent as " + CloudEventHttpReader.STRUCTURED_MEDIA_TYPE + " (structured mode), or with ce-* "
              + "headers and an application/json or +json body (binary mode); Content-Type was "
              + (r.contentType() == null ? "absent" : "'" + r.contentType() + "'"),
          instance, null);
    }
    if (rejection instanceof Rejection.Malformed r) {
      return problem(400, "malformed-json", "Malformed JSON", r.detail(), instance,
          r.violations().isEmpty() ? null : r.violations());
    }
    if (rejection instanceof Rejection.NotACloudEvent r) {
      return problem(400, "not-a-cloudevent", "Not a CloudEvent", r.detail(), instance, null);
    }
    if (rejection instanceof Rejection.InvalidAttributes r) {
      return problem(400, "invalid-cloudevent", "Invalid CloudEvent",
          "the event breaks the CloudEvents 1.0 attribute rules", instance, r.violations());
    }
    if (rejection instanceof Rejection.TypeNotAccepted r) {
      String accepted = String.join(", ", new TreeSet<>(r.accepted()));
      String detail = "stream '" + r.stream() + "' does not accept events of type '" + r.type() + "'"
          + (accepted.isEmpty() ? "" : "; it accepts " + accepted);
      return problem(422, "type-not-accepted", "Event type not accepted", detail, instance,
          List.of(new Violation("/type", "enum", detail)));
    }
    if (rejection instanceof Rejection.SchemaViolation r) {
      return problem(422, "schema-violation", "Schema violation",
          "the data does not conform to the schema of '" + r.type() + "'", instance, r.violations());
    }
    if (rejection instanceof Rejection.MissingPartitionKey r) {
      String detail = "events of type '" + r.type() + "' take their partition key from " + r.pointer()
          + ", which must be a non-empty string or a number";
      return problem(422, "missing-partition-key", "Missing partition key", detail, instance,
          List.of(new Violation(r.pointer(), "partitionKey", detail)));
    }
    if (rejection instanceof Rejection.TooLarge r) {
      return problem(413, "payload-too-large", "Payload too large",
          "the request body exceeds the limit of " + r.limitBytes() + " bytes", instance, null);
    }
    Rejection.BrokerUnavailable r = (Rejection.BrokerUnavailable) rejection;
    Problem p = problem(503, "broker-unavailable", "Broker unavailable", r.detail(), instance, null);
    return new Problem(p.status(), p.body(), Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
  }

  public static Problem notFound(String instance) {
    return problem(404, "not-found", "Not found", "no resource at this path", instance, null);
  }

  public static Problem methodNotAllowed(String instance, String method, String allow) {
    Problem p = problem(405, "method-not-allowed", "Method not allowed",
        "this resource does not support " + method + "; it supports " + allow, instance, null);
    return new Problem(p.status(), p.body(), Map.of("Allow", allow));
  }

  /** An unexpected failure: no stack trace, no exception text, nothing internal leaks. */
  public static Problem internalError(String instance) {
    return problem(500, "internal-error", "Internal error",
        "the gateway failed unexpectedly; the event was not appended", instance, null);
  }

  /** Any other HTTP error status raised by the web stack, e.g. 400 for an unreadable request. */
  public static Problem forStatus(int status, String instance) {
    if (status < 400 || status > 599) {
      return internalError(instance);
    }
    if (status == 500) {
      return internalError(instance);
    }
    String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
    JsonObject body = new JsonObject()
        .put("type", "about:blank")
        .put("title", reason)
        .put("status", status)
        .put("detail", reason)
        .put("instance", instance);
    return new Problem(status, body, Map.of());
  }

  private static Problem problem(
      int status, String slug, String title, String detail, String instance, List<Violation> violations) {
    JsonObject body = new JsonObject()
        .put("type", TYPE_BASE + slug)
        .put("title", title)
        .put("status", status)
        .put("detail", detail)
        .put("instance", instance);
    if (violations != null) {
      JsonArray arr = new JsonArray();
      for (Violation v : violations) {
        arr.add(new JsonObject().put("pointer", v.pointer()).put("keyword", v.keyword()).put("message", v.message()));
      }
      body.put("violations", arr);
    }
    return new Problem(status, body, Map.of());
  }

  /** Sends a problem, unless an answer is already on its way (then there is nothing more to say). */
  public static Future<Void> send(RoutingContext ctx, Problem problem) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten() || response.closed()) {
      return Future.succeededFuture();
    }
    response.setStatusCode(problem.status()).putHeader("Content-Type", MEDIA_TYPE);
    problem.headers().forEach(response::putHeader);
    return response.end(problem.body().encode());
  }
}
