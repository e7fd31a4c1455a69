package dev.sluice.gateway.problem;

import dev.sluice.ingest.problem.Failure;
import dev.sluice.ingest.problem.ProblemType;
import dev.sluice.schemas.Violation;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where the gateway's failures become HTTP answers: {@code application/problem+json} (RFC 9457) with
 * {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance}, {@code violations} (JSON pointers)
 * where there are any, and the failure's own extension members (e.g. {@code offset} into the body,
 * {@code maxEvents}, {@code changes}). Ingest rejections, registry failures and access failures are all
 * {@link Failure} values that know their problem type and members, so this class never asks which kind it has.
 *
 * <p>A 503 always says when to retry ({@value #RETRY_AFTER_SECONDS} s); other headers (a 401's challenge, a 429's
 * wait) come with the failure.
 */
public final class Problems {
  public static final String MEDIA_TYPE = "application/problem+json";
  public static final String TYPE_BASE = ProblemType.TYPE_BASE;
  /** Seconds a client should wait before retrying after a 503. */
  public static final int RETRY_AFTER_SECONDS = 5;

  private Problems() {}

  /** A problem ready to send: status, body, and extra headers (e.g. Retry-After). */
  public record Problem(int status, JsonObject body, Map<String, String> headers) {
    public Problem {
      headers = Map.copyOf(headers);
    }
  }

  /** Any failure the gateway answers with. */
  public static Problem of(Failure failure, String instance) {
    Problem p = of(failure.problem(), failure.detail(), instance);
    JsonObject body = p.body();
    if (!failure.violations().isEmpty()) {
      body.put("violations", violations(failure.violations()));
    }
    JsonObject members = failure.members();
    for (String name : members.fieldNames()) {
      // Standard members win over an extension of the same name.
      if (!body.containsKey(name)) {
        body.put(name, members.getValue(name));
      }
    }
    Map<String, String> headers = new LinkedHashMap<>(p.headers());
    headers.putAll(failure.headers());
    return new Problem(p.status(), body, headers);
  }

  /** A problem whose occurrence has no more to say than its detail (routing, batches). */
  public static Problem of(ProblemType type, String detail, String instance) {
    JsonObject body = new JsonObject()
        .put("type", type.uri())
        .put("title", type.title())
        .put("status", type.status())
        .put("detail", detail)
        .put("instance", instance);
    Map<String, String> headers =
        type.status() == 503 ? Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)) : Map.of();
    return new Problem(type.status(), body, headers);
  }

  /** {@code [{pointer, keyword, message}]}, in order. */
  public static JsonArray violations(List<Violation> violations) {
    JsonArray arr = new JsonArray();
    for (Violation v : violations) {
      arr.add(new JsonObject().put("pointer", v.pointer()).put("keyword", v.keyword()).put("message", v.message()));
    }
    return arr;
  }

  public static Problem notFound(String instance) {
    return of(GatewayProblem.NOT_FOUND, "no resource at this path", instance);
  }

  public static Problem methodNotAllowed(String instance, String method, String allow) {
    Problem p = of(GatewayProblem.METHOD_NOT_ALLOWED,
        "this resource does not support " + method + "; it supports " + allow, instance);
    return new Problem(p.status(), p.body(), Map.of("Allow", allow));
  }

  /** An unexpected failure: no stack trace, no exception text, nothing internal leaks. */
  public static Problem internalError(String instance) {
    return of(GatewayProblem.INTERNAL_ERROR, "the gateway failed unexpectedly; the event was not appended", instance);
  }

  /** Any other HTTP error status raised by the web stack, e.g. 400 for an unreadable request. */
  public static Problem forStatus(int status, String instance) {
    if (status < 400 || status > 599 || status == 500) {
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
    boolean close = !ctx.request().isEnded() && ctx.request().version() != HttpVersion.HTTP_2;
    if (close) {
      response.putHeader("Connection", "close");
    }
    problem.headers().forEach(response::putHeader);
    Future<Void> sent = response.end(problem.body().encode());
    return close ? sent.andThen(ignored -> ctx.request().connection().close()) : sent;
  }
}
