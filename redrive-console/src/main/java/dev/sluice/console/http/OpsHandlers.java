package dev.sluice.console.http;

import dev.sluice.console.json.JsonReply;
import dev.sluice.console.problem.ConsoleError.Unavailable;
import dev.sluice.console.problem.Problems;
import dev.sluice.quarantine.store.QuarantineStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Metrics and health probes. */
public final class OpsHandlers {
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  /** A readiness probe must answer quickly even when the store hangs. */
  static final long READY_TIMEOUT_SECONDS = 3;

  private final QuarantineStore store;
  private final PrometheusMeterRegistry meterRegistry;

  public OpsHandlers(QuarantineStore store, PrometheusMeterRegistry meterRegistry) {
    this.store = Objects.requireNonNull(store, "store");
    this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
  }

  /** {@code GET /metrics}. Scraping is in-memory formatting, cheap enough for the event loop. */
  public void metrics(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(meterRegistry.scrape());
  }

  /** {@code GET /health/live}: the process answers. */
  public void live(RoutingContext ctx) {
    JsonReply.send(ctx, 200, new JsonObject().put("status", "UP"));
  }

  /** {@code GET /health/ready}: the quarantine store answers. */
  public void ready(RoutingContext ctx) {
    store.ping()
        .timeout(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .onSuccess(v -> JsonReply.send(ctx, 200, new JsonObject().put("status", "UP")))
        .onFailure(failure -> Problems.send(ctx,
            new Unavailable("the quarantine store does not answer (" + failure.getClass().getSimpleName() + ")")));
  }
}
