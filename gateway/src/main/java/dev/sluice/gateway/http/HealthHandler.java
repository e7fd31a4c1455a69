package dev.sluice.gateway.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live} and {@code /health/ready}. Readiness reads the last Kafka probe result and never waits on
 * Kafka itself, so it answers at once even while the broker hangs.
 */
public final class HealthHandler {
  private final BooleanSupplier kafkaReady;

  public HealthHandler(BooleanSupplier kafkaReady) {
    this.kafkaReady = kafkaReady;
  }

  public void live(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  public void ready(RoutingContext ctx) {
    boolean up = kafkaReady.getAsBoolean();
    String kafka = up ? "UP" : "DOWN";
    json(ctx, up ? 200 : 503,
        new JsonObject().put("status", kafka).put("checks", new JsonObject().put("kafka", kafka)));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
