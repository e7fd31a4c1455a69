package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.engine.DataDirs;
import dev.sluice.deploy.engine.EmbeddedKafka;
import dev.sluice.deploy.provision.Provisioner;
import dev.sluice.deploy.provision.TopicProvisioner;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.FreePorts;
import dev.sluice.deploy.testing.Http;
import dev.sluice.gateway.GatewayVerticle;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway started while its broker is down answers 503 (problem+json, Retry-After) within its append timeout
 * instead of hanging, and serves again by itself once the broker is up: same gateway, no restart. The broker is a
 * real KRaft broker of its own (not the shared engines), started only after the first answer.
 */
class BrokerOutageIT {
  private static final System.Logger LOG = System.getLogger(BrokerOutageIT.class.getName());
  private static final Duration APPEND_TIMEOUT = Duration.ofSeconds(3);

  private final Http http = new Http();
  private Vertx vertx;
  private EmbeddedKafka kafka;
  private Path dataDir;

  @AfterEach
  void stop() throws Exception {
    try {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } finally {
      if (kafka != null) {
        kafka.close();
      }
      if (dataDir != null) {
        DataDirs.wipe(dataDir);
      }
    }
  }

  @Test
  void brokerDownIs503WithRetryAfterThenServiceResumesByItself() throws Exception {
    int[] ports = FreePorts.pick(2);
    dataDir = Files.createTempDirectory("sluice-outage-kafka");
    Map<String, String> kafkaProps = Map.of("bootstrap.servers", "127.0.0.1:" + ports[0]);
    StreamCatalog catalog = StreamCatalog.loadDefault();
    GatewayVerticle gateway = new GatewayVerticle(
        new GatewayConfig("127.0.0.1", 0, GatewayConfig.DEFAULT_MAX_BODY_BYTES, APPEND_TIMEOUT), 
        SchemaRegistry.fromCatalog(catalog), kafkaProps, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    vertx = Vertx.vertx();
    vertx.deployVerticle(gateway).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    String events = "http://127.0.0.1:" + gateway.actualPort() + "/v1/streams/retail/events";

    // Broker down: an answer, not a hang. The bound is a hang guard (the Http client gives up after 30 s).
    long t0 = System.nanoTime();
    Answer down = post(events);
    long downMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    LOG.log(System.Logger.Level.INFO, "broker down: {0} after {1} ms (append timeout {2})", down.status(), downMs,
        APPEND_TIMEOUT);
    assertEquals(503, down.status(), down.body());
    assertTrue(down.contentType().startsWith("application/problem+json"), down.contentType());
    assertEquals(503, down.json().getInteger("status"));
    assertNotNull(down.retryAfter(), "503 carries Retry-After");
    assertTrue(downMs < APPEND_TIMEOUT.toMillis() + 10_000, "answered after " + downMs + " ms");
    String metrics = http.get("http://127.0.0.1:" + gateway.actualPort() + "/metrics").body();
    assertTrue(metrics.matches("(?s).*sluice_gateway_unavailable_total\\{cause=\"(broker_unreachable|timed_out)\"} "
        + "[1-9].*"), metrics);

    // The broker comes up (with its topics): the same gateway accepts again, without a restart.
    long startedAt = System.nanoTime();
    kafka = EmbeddedKafka.start(dataDir, ports[0], ports[1]);
    TopicProvisioner.ensureTopics(kafkaProps,
        new TopicProvisioner.StreamTopicSettings((short) 1, 1, Duration.ofDays(7), Optional.empty()),
        Provisioner.Existing.LEAVE, catalog, step -> { });
    Answer up = Eventually.await("a 202 once the broker is up", Duration.ofSeconds(60), () -> {
      Answer r = post(events);
      return r.status() == 202 ? Optional.of(r) : Optional.empty();
    });
    LOG.log(System.Logger.Level.INFO, "broker up: 202 {0} ms after the broker started",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
    assertEquals("retail", up.json().getString("topic"));
  }

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** One POST of a fresh valid event; the answer with the headers this test looks at. */
  private Answer post(String url) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/cloudevents+json")
        .header("Authorization", "Bearer dev-producer")
        .POST(HttpRequest.BodyPublishers.ofString(
            Events.structured("retail.product.created", Events.product(Events.uid("p"), 9.5))))
        .build();
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
          r.headers().firstValue("Retry-After").orElse(null), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private record Answer(int status, String contentType, String retryAfter, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }
}
