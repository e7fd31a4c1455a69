package dev.sluice.gateway.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /metrics}: the Prometheus text exposition format 0.0.4. Scraping is in-memory CPU work, and so is
 * {@code beforeScrape} (it brings gauges derived from in-memory state up to date, e.g. the streams' objectives).
 */
public final class MetricsHandler implements Handler<RoutingContext> {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final Runnable beforeScrape;

  public MetricsHandler(PrometheusMeterRegistry registry) {
    this(registry, () -> {});
  }

  public MetricsHandler(PrometheusMeterRegistry registry, Runnable beforeScrape) {
    this.registry = registry;
    this.beforeScrape = beforeScrape;
  }

  @Override
  public void handle(RoutingContext ctx) {
    beforeScrape.run();
    ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(registry.scrape());
  }
}
