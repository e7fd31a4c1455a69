package dev.sluice.gateway.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.gateway.GatewayVerticle;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.metrics.GatewayMetrics;
import dev.sluice.ingest.kafka.AppendFailedException;
import dev.sluice.ingest.kafka.AppendFailure;
import dev.sluice.ingest.kafka.Appended;
import dev.sluice.ingest.kafka.AppenderSettings;
import dev.sluice.ingest.kafka.EventAppender;
import dev.sluice.ingest.kafka.ProducerSafety;
import dev.sluice.ingest.kafka.UnsafeProducerSettingsException;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's appender (checked producer settings, its metrics as the observer) with a real Kafka producer pointed
 * at a closed local port (no broker is started or faked): what a broker outage looks like to the appender. Metadata
 * never arrives, so every send waits {@code max.block.ms} (half the append timeout).
 */
class GatewayAppenderTest {
  private static final Duration APPEND_TIMEOUT = Duration.ofSeconds(2);

  private Vertx vertx;
  private PrometheusMeterRegistry meters;
  private Map<String, String> kafka;

  @BeforeEach
  void start() throws IOException {
    vertx = Vertx.vertx();
    meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    kafka = Map.of("bootstrap.servers", "127.0.0.1:" + closedPort());
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A hang guard, not a speed check. */
  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static AppendFailure failureOf(Future<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(f));
    return assertInstanceOf(AppendFailedException.class, e.getCause()).failure();
  }

  private EventAppender appender(ProducerSafety safety, Map<String, String> props) throws Exception {
    return await(EventAppender.create(vertx, AppenderSettings.checked(props, APPEND_TIMEOUT, safety, "test"),
        new GatewayMetrics(meters)));
  }

  /** Appends an event's data; what is appended does not matter against a broker that is not there. */
  private static Future<Appended> append(EventAppender appender, String id) {
    return appender.append("retail", "k", ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8),
        List.of(KafkaHeader.of("ce_id", id)));
  }

  private double unavailable(AppendFailure cause) {
    var c = meters.find(GatewayMetrics.UNAVAILABLE).tag("cause", cause.label()).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void overTheInFlightBoundAnAppendFailsAtOnceWithBackpressure() throws Exception {
    EventAppender appender = appender(new ProducerSafety(false, 2, 1024 * 1024), kafka);
    Future<Appended> first = append(appender, "e-1");
    Future<Appended> second = append(appender, "e-2");
    Future<Appended> third = append(appender, "e-3");

    // Refused synchronously, without queueing: the Future is already failed when append returns.
    assertTrue(third.failed(), "the third append must fail at once");
    assertEquals(AppendFailure.BACKPRESSURE,
        assertInstanceOf(AppendFailedException.class, third.cause()).failure());
    assertEquals(2, appender.appendsInFlight());
    assertEquals(1.0, unavailable(AppendFailure.BACKPRESSURE));

    // The first waits for metadata for max.block.ms and fails as an unreachable broker; the second waited behind it.
    assertEquals(AppendFailure.BROKER_UNREACHABLE, failureOf(first));
    AppendFailure secondFailure = failureOf(second);
    assertTrue(secondFailure == AppendFailure.BROKER_UNREACHABLE || secondFailure == AppendFailure.TIMED_OUT,
        secondFailure.toString());

    // Slots are released once Kafka is done with the records: appends are taken again.
    assertEquals(0, appender.appendsInFlight());
    Future<Appended> fourth = append(appender, "e-4");
    assertEquals(1, appender.appendsInFlight());
    assertEquals(AppendFailure.BROKER_UNREACHABLE, failureOf(fourth));
    assertTrue(unavailable(AppendFailure.BROKER_UNREACHABLE) >= 2.0);
    await(appender.close());
  }

  @Test
  void afterCloseAppendsFailAtOnceAsClosing() throws Exception {
    EventAppender appender = appender(ProducerSafety.defaults(), kafka);
    await(appender.close());
    Future<Appended> f = append(appender, "e-1");
    assertTrue(f.failed());
    assertEquals(AppendFailure.CLOSING, assertInstanceOf(AppendFailedException.class, f.cause()).failure());
  }

  @Test
  void unsafeSettingsFailCreationUnlessAllowed() throws Exception {
    Map<String, String> unsafe = Map.of("bootstrap.servers", kafka.get("bootstrap.servers"), "acks", "1");
    ExecutionException e = assertThrows(ExecutionException.class, () -> appender(ProducerSafety.defaults(), unsafe));
    assertInstanceOf(UnsafeProducerSettingsException.class, e.getCause());

    EventAppender allowed = appender(new ProducerSafety(true, 10, 1024 * 1024), unsafe);
    await(allowed.close());
  }

  @Test
  void theGatewayRefusesToStartWithUnsafeSettingsAndSaysWhy() {
    StreamCatalog catalog = StreamCatalog.loadDefault();
    GatewayVerticle gateway = new GatewayVerticle(new GatewayConfig("127.0.0.1", 0, 1024, APPEND_TIMEOUT), 
        SchemaRegistry.fromCatalog(catalog),
        Map.of("bootstrap.servers", kafka.get("bootstrap.servers"), "enable.idempotence", "false"), meters);
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(vertx.deployVerticle(gateway)));
    assertInstanceOf(UnsafeProducerSettingsException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("enable.idempotence=false: without idempotence the producer's "
        + "own retries can write an event twice"), e.getCause().getMessage());
  }
}
