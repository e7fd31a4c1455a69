package dev.sluice.gateway.http;

import dev.sluice.ingest.CloudEventHttpReader;
import dev.sluice.ingest.Rejection;
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
 * event) where there are any. Extension members: {@code offset} (a byte offset into the body, for invalid UTF-8 and
 * trailing content), {@code maxEvents} (batch too large) and {@code results} (one per event of a batch).
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
              + "headers and an application/json or +json body (binary mode), or a JSON array of structured-mode "
              + "events as " + CloudEventHttpReader.BATCH_MEDIA_TYPE + "; Content-Type was "
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
    if (rejection instanceof Rejection.RecordTooLarge r) {
      return problem(413, "record-too-large", "Record too large", r.detail(), instance, null);
    }
    if (rejection instanceof Rejection.BrokerUnavailable r) {
      Problem p = problem(503, "broker-unavailable", "Broker unavailable", r.detail(), instance, null);
      return new Problem(p.status(), p.body(), Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
    }
    if (rejection instanceof Rejection.ValidationBusy) {
      Problem p = problem(503, "validation-busy", "Validation busy", "validating this request costs more than the "
          + "event loop allows, and too many such requests are already waiting for the validation pool; retry later",
          instance, null);
      return new Problem(p.status(), p.body(), Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
    }
    return hardLimit(rejection, instance);
  }

  /** The hard limits on input, batch shapes, schema versions and partition keys. */
  private static Problem hardLimit(Rejection rejection, String instance) {
    if (rejection instanceof Rejection.InvalidUtf8 r) {
      Problem p = problem(400, "invalid-utf8", "Invalid UTF-8",
          "the body is not UTF-8 text (RFC 8259 requires it): the byte at offset " + r.byteOffset()
              + " starts an invalid sequence (a NUL byte counts as invalid; UTF-16 and UTF-32 are not accepted)",
          instance, null);
      p.body().put("offset", r.byteOffset());
      return p;
    }
    if (rejection instanceof Rejection.NestingTooDeep r) {
      String detail = "objects and arrays nest deeper than the limit of " + r.limit() + " levels (the event is level 1)";
      return problem(400, "nesting-too-deep", "Nesting too deep", detail, instance,
          List.of(new Violation(r.pointer(), "maxDepth", detail)));
    }
    if (rejection instanceof Rejection.NumberTooLong r) {
      String detail = "a number is longer than the limit of " + r.limit() + " characters";
      return problem(400, "number-too-long", "Number too long", detail, instance,
          List.of(new Violation(r.pointer(), "maxNumberLength", detail)));
    }
    if (rejection instanceof Rejection.StringTooLong r) {
      String detail = (r.memberName() ? "a member name" : "a string")
          + " is longer than the limit of " + r.limit() + " characters";
      return problem(400, "string-too-long", "String too long", detail, instance,
          List.of(new Violation(r.pointer(), "maxStringLength", detail)));
    }
    if (rejection instanceof Rejection.DuplicateKey r) {
      String detail = "an object has the same member twice; which value counts would be ambiguous";
      return problem(400, "duplicate-key", "Duplicate object key", detail, instance,
          List.of(new Violation(r.pointer(), "uniqueKeys", detail)));
    }
    if (rejection instanceof Rejection.TrailingContent r) {
      Problem p = problem(400, "trailing-content", "Trailing content",
          "the body continues after the JSON value, at byte offset " + r.byteOffset()
              + "; send exactly one JSON value (a batch is one JSON array)",
          instance, null);
      p.body().put("offset", r.byteOffset());
      return p;
    }
    if (rejection instanceof Rejection.InputLimitExceeded) {
      return problem(400, "input-limit-exceeded", "Input limit exceeded",
          "the body exceeds one of the JSON parser's safety limits (nesting, length or number of names)",
          instance, null);
    }
    if (rejection instanceof Rejection.NotABatch r) {
      return problem(400, "not-a-batch", "Not a batch", r.detail(), instance, null);
    }
    if (rejection instanceof Rejection.EmptyBatch) {
      return problem(400, "empty-batch", "Empty batch",
          "the batch has no event; send at least one (an empty batch would be acknowledged without appending anything,"
              + " which usually hides a client bug)", instance, null);
    }
    if (rejection instanceof Rejection.BatchTooLarge r) {
      Problem p = problem(413, "batch-too-large", "Batch too large",
          "a batch may hold at most " + r.limit() + " events; split it into smaller batches", instance, null);
      p.body().put("maxEvents", r.limit());
      return p;
    }
    if (rejection instanceof Rejection.InvalidParameter r) {
      return problem(400, "invalid-parameter", "Invalid query parameter",
          "query parameter '" + r.name() + "' must be " + r.expected() + ", was '" + r.value() + "'", instance, null);
    }
    if (rejection instanceof Rejection.UnsupportedDataschema r) {
      return problem(422, "unsupported-dataschema", "Unsupported dataschema", r.detail(), instance,
          List.of(new Violation("/dataschema", "dataschema", r.detail())));
    }
    if (rejection instanceof Rejection.UnknownSchemaVersion r) {
      String detail = "type '" + r.type() + "' has no schema version " + r.version()
          + (r.latest() == 0 ? "; it has no version at all" : "; its versions are 1 to " + r.latest());
      return problem(422, "unknown-schema-version", "Unknown schema version", detail, instance,
          List.of(new Violation("/dataschema", "dataschema", detail)));
    }
    if (rejection instanceof Rejection.NoSchema r) {
      String detail = "no schema version is registered for type '" + r.type() + "' yet, so its events cannot be "
          + "validated; register one with POST /v1/schemas/" + r.type() + "/versions";
      return problem(422, "no-schema", "No schema for the type", detail, instance,
          List.of(new Violation("/type", "schema", detail)));
    }
    Rejection.PartitionKeyExtensionNotAllowed r = (Rejection.PartitionKeyExtensionNotAllowed) rejection;
    String detail = "stream '" + r.stream() + "' does not let producers choose the partition key: events of type '"
        + r.type() + "' are keyed by " + r.pointer() + ", which keeps each entity's events in order for consumers. "
        + "Remove the partitionkey extension attribute";
    return problem(422, "partition-key-extension-not-allowed", "Partition key extension not allowed", detail,
        instance, List.of(new Violation("/partitionkey", "partitionKeyExtension", detail)));
  }

  // ---------------------------------------------------------------------------------------------------- batches

  /**
   * An all-or-nothing batch with at least one rejected event (or a partial batch whose events were all rejected):
   * nothing was appended.
   */
  public static Problem batchRejected(List<BatchItemResult> results, String instance) {
    long rejected = results.stream().filter(r -> r instanceof BatchItemResult.Rejected).count();
    boolean aborted = results.stream().anyMatch(r -> r instanceof BatchItemResult.Aborted);
    String detail = rejected + " of " + results.size() + " events were rejected; nothing was appended."
        + (aborted ? " Events marked aborted are valid; fix or drop the rejected ones and resend, or send the batch"
            + " with ?partial=true to append the valid events alone" : "");
    Problem p = problem(422, "batch-rejected", "Batch rejected", detail, instance, null);
    p.body().put("results", results(results, instance));
    return p;
  }

  /**
   * Kafka did not acknowledge some events of a valid batch in time: those marked failed may or may not be stored,
   * those marked accepted are.
   */
  public static Problem batchNotAppended(List<BatchItemResult> results, String instance) {
    long failed = results.stream().filter(r -> r instanceof BatchItemResult.Failed).count();
    String detail = "Kafka did not acknowledge " + failed + " of " + results.size() + " events in time; events marked "
        + "accepted are stored, events marked failed may not be. Resending the whole batch is safe: the gateway "
        + "deduplicates events by (source, id), so accepted events are not appended twice";
    Problem p = problem(503, "broker-unavailable", "Broker unavailable", detail, instance, null);
    p.body().put("results", results(results, instance));
    return new Problem(p.status(), p.body(), Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
  }

  /** One JSON object per event, in order: index, id, status, and offsets, violations or a reason as fits. */
  public static JsonArray results(List<BatchItemResult> results, String instance) {
    JsonArray out = new JsonArray();
    for (BatchItemResult r : results) {
      JsonObject o = new JsonObject().put("index", r.index()).put("id", r.id());
      if (r instanceof BatchItemResult.Accepted a) {
        o.put("status", "accepted").put("partition", a.appended().partition()).put("offset", a.appended().offset());
      } else if (r instanceof BatchItemResult.Rejected rej) {
        JsonObject problem = of(rej.rejection(), instance).body();
        JsonArray violations = problem.getJsonArray("violations");
        if (violations == null) {
          // Every rejected event names at least one violation; without a finer pointer it is the whole event.
          violations = new JsonArray().add(new JsonObject().put("pointer", "")
              .put("keyword", slug(problem)).put("message", problem.getString("detail")));
        }
        o.put("status", "rejected").put("problem", problem.getString("type"))
            .put("detail", problem.getString("detail")).put("violations", violations);
      } else if (r instanceof BatchItemResult.Aborted) {
        o.put("status", "aborted")
            .put("detail", "valid, but not appended: other events of this all-or-nothing batch were rejected");
      } else {
        o.put("status", "failed")
            .put("detail", "Kafka did not acknowledge this event in time; it may not be stored, resend it");
      }
      out.add(o);
    }
    return out;
  }

  private static String slug(JsonObject problem) {
    String type = problem.getString("type");
    return type.startsWith(TYPE_BASE) ? type.substring(TYPE_BASE.length()) : type;
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
    // Answered before the body arrived (401 before buffering, 413 over the limit): the rest of the body would still
    // be on the wire, so the connection cannot carry another request. Closing it also frees a slow client's
    // connection at once instead of leaving it to the body timeout.
    boolean close = !ctx.request().isEnded() && ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2;
    if (close) {
      response.putHeader("Connection", "close");
    }
    problem.headers().forEach(response::putHeader);
    Future<Void> sent = response.end(problem.body().encode());
    return close ? sent.andThen(ignored -> ctx.request().connection().close()) : sent;
  }
}
