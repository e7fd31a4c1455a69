package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.store.QuarantineItem;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** After a scripted scenario, every promised metric is on /metrics, with bounded labels and a count behind it. */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class MetricsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final Http http = Http.producer();
  /** The console API, as the dev operator (its token name is what the audit trail records). */
  private final Http operator = Http.operator();

  /** The value of the first sample of {@code name} whose labels include every given {@code key="value"}. */
  static Optional<Double> sample(String scrape, String name, String... labels) {
    for (String line : scrape.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean all = true;
      for (String l : labels) {
        all &= line.contains(l);
      }
      if (all) {
        return Optional.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return Optional.empty();
  }

  /** A gauge that may well read 0 (an idle partition): only its presence is awaited. */
  private double awaitGauge(String url, String name, String... labels) {
    return Eventually.await(name + " " + List.of(labels) + " at " + url, WAIT,
        () -> sample(http.get(url).body(), name, labels));
  }

  private double awaitSample(String url, String name, String... labels) {
    return Eventually.await(name + " " + List.of(labels) + " at " + url, WAIT, () -> {
      Http.Response r = http.get(url);
      assertEquals(200, r.status());
      assertTrue(r.contentType().startsWith("text/plain"), r.contentType());
      return sample(r.body(), name, labels).filter(v -> v > 0);
    });
  }

  @Test
  void theScenarioShowsUpInEveryPartsMetrics(Stack stack) {
    String events = stack.gatewayUrl() + "/v1/streams/retail/events";
    String productId = Events.uid("p");
    Http.Response rejectedByHandler = http.post(events, "application/cloudevents+json",
        Events.structured("retail.product.created", Events.product(productId, 500_000)));
    assertEquals(202, rejectedByHandler.status());
    Http.Response invalid = http.post(events, "application/cloudevents+json",
        Events.structured("retail.product.created", new JsonObject().put("id", "x")));
    assertEquals(422, invalid.status());

    String gateway = stack.gatewayUrl() + "/metrics";
    awaitSample(gateway, "sluice_gateway_events_accepted_total", "stream=\"retail\"", "type=\"retail.product.created\"");
    awaitSample(gateway, "sluice_gateway_events_rejected_total", "stream=\"retail\"", "reason=\"schema_violation\"");
    awaitSample(gateway, "sluice_gateway_ingest_duration_seconds_bucket", "stream=\"retail\"", "le=\"+Inf\"");
    awaitSample(gateway, "sluice_gateway_ingest_duration_seconds_count", "stream=\"retail\"");

    JsonObject ack = rejectedByHandler.json();
    String id = QuarantineItem.idFor(stack.demoGroup(), "retail", ack.getInteger("partition"), ack.getLong("offset"));
    Eventually.await("item " + id, WAIT, () -> Optional.of(operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + id))
        .filter(r -> r.status() == 200));
    Http.Response redrive = operator.post(stack.consoleUrl() + "/api/v1/quarantine/" + id + "/redrive", "application/json",
        new JsonObject().put("data", Events.product(productId, 5)).encode());
    assertEquals(202, redrive.status(), redrive.body());

    String demo = stack.demoUrl() + "/metrics";
    awaitSample(demo, "sluice_consumer_events_quarantined_total", "stream=\"retail\"",
        "group=\"" + stack.demoGroup() + "\"", "reason=\"HANDLER_REJECTED\"");
    awaitSample(demo, "sluice_consumer_handler_attempts_total", "outcome=\"non_retryable_failure\"");
    awaitSample(demo, "sluice_consumer_handler_attempts_total", "outcome=\"success\"");
    awaitSample(demo, "sluice_consumer_events_handled_total", "group=\"" + stack.demoGroup() + "\"");
    awaitSample(demo, "sluice_consumer_redrives_total", "outcome=\"resolved\"");
    String partition = "partition=\"" + ack.getInteger("partition") + "\"";
    awaitGauge(demo, "sluice_consumer_head_of_line_age_seconds", "group=\"" + stack.demoGroup() + "\"",
        "topic=\"retail\"", partition);
    awaitGauge(demo, "sluice_consumer_lag_records", "topic=\"retail\"", partition);
    awaitSample(demo, "sluice_consumer_inplace_attempts_total", "topic=\"retail\"", partition);
    awaitGauge(demo, "sluice_consumer_open_items", "status=\"quarantined\"", partition);
    awaitGauge(demo, "sluice_consumer_oldest_quarantined_age_seconds", partition);

    String console = stack.consoleUrl() + "/metrics";
    awaitSample(console, "sluice_console_redrive_requests_total", "outcome=\"accepted\"");

    String all = http.get(gateway).body() + http.get(demo).body() + http.get(console).body();
    assertTrue(!all.contains(productId) && !all.contains(id), "no event id, key or item id in any label");
  }
}
