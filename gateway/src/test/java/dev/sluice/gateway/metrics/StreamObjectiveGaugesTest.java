package dev.sluice.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.catalog.StreamCatalog;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The streams' staleness objectives as a gauge Prometheus can join the consumers' staleness with. */
class StreamObjectiveGaugesTest {
  private static StreamCatalog catalog(String ordersObjective, String retailObjective) {
    return StreamCatalog.parse("{\"streams\":["
        + stream("orders", "orders-v1", ordersObjective) + "," + stream("retail", "retail", retailObjective)
        + "," + stream("audit", "audit", null) + "]}", "test");
  }

  private static String stream(String name, String topic, String objective) {
    return "{\"name\":\"" + name + "\",\"topic\":\"" + topic + "\",\"types\":[{\"type\":\"" + name
        + ".x\",\"partitionKey\":\"/id\"}]" + (objective == null ? "" : ",\"stalenessObjective\":\"" + objective + "\"")
        + "}";
  }

  @Test
  void eachObjectiveIsASeriesByStreamAndTopicAndAStreamWithoutOneHasNone() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicReference<StreamCatalog> now = new AtomicReference<>(catalog("PT5M", "PT90S"));
    StreamObjectiveGauges gauges = new StreamObjectiveGauges(registry, now::get);

    String scrape = registry.scrape();
    assertTrue(scrape.contains("sluice_stream_staleness_objective_seconds{stream=\"orders\",topic=\"orders-v1\"} 300.0"),
        scrape);
    assertTrue(scrape.contains("sluice_stream_staleness_objective_seconds{stream=\"retail\",topic=\"retail\"} 90.0"),
        scrape);
    assertTrue(!scrape.contains("stream=\"audit\""), scrape);

    // The registry changed: orders lost its objective, retail's is longer. The next refresh follows.
    now.set(catalog(null, "PT10M"));
    gauges.refresh();
    scrape = registry.scrape();
    assertTrue(!scrape.contains("stream=\"orders\""), scrape);
    assertTrue(scrape.contains("sluice_stream_staleness_objective_seconds{stream=\"retail\",topic=\"retail\"} 600.0"),
        scrape);
    assertEquals(1, registry.find(StreamObjectiveGauges.NAME).gauges().size());
  }
}
