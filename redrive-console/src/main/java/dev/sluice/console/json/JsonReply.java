package dev.sluice.console.json;

import dev.sluice.console.problem.Problems;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** A JSON answer: what every handler sends when a request succeeds. */
public final class JsonReply {
  public static final String CONTENT_TYPE = "application/json";

  private JsonReply() {}

  public static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).end(body.encode());
  }

  /**
   * Answers {@code status} with the body {@code work} completes with, or the problem it fails with: a refusal it
   * throws before it has a Future (a bad parameter) included.
   */
  public static void answer(RoutingContext ctx, int status, Supplier<Future<JsonObject>> work) {
    Future.succeededFuture()
        .compose(v -> work.get())
        .onSuccess(body -> send(ctx, status, body))
        .onFailure(failure -> Problems.send(ctx, failure));
  }
}
