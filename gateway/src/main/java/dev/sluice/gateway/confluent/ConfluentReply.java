package dev.sluice.gateway.confluent;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes every answer of the Confluent-compatible API, errors included: the one place that knows its media type and
 * its error body.
 */
public final class ConfluentReply {
  /** What Confluent's registry answers with (its clients also take {@code application/json}). */
  public static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";

  private ConfluentReply() {}

  static void send(RoutingContext ctx, ConfluentAnswer answer) {
    if (answer instanceof ConfluentAnswer.Failed f) {
      send(ctx, f.error());
      return;
    }
    ConfluentAnswer.Ok ok = (ConfluentAnswer.Ok) answer;
    String body = ok.body() instanceof JsonArray a ? a.encode() : ((JsonObject) ok.body()).encode();
    write(ctx, ok.status(), body);
  }

  /** {@code {"error_code": 40401, "message": "..."}} with the error's status and headers. */
  public static void send(RoutingContext ctx, ConfluentError error) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten() || response.closed()) {
      return;
    }
    error.headers().forEach(response::putHeader);
    write(ctx, error.status(), body(error).encode());
  }

  static JsonObject body(ConfluentError error) {
    return new JsonObject().put("error_code", error.code()).put("message", error.message());
  }

  private static void write(RoutingContext ctx, int status, String body) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", MEDIA_TYPE).end(body);
  }
}
