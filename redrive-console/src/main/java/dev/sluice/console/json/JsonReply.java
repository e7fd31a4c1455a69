package dev.sluice.console.json;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** A JSON answer: what every handler sends when a request succeeds. */
public final class JsonReply {
  public static final String CONTENT_TYPE = "application/json";

  private JsonReply() {}

  public static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).end(body.encode());
  }
}
