package dev.sluice.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.gateway.GatewayVerticle;
import dev.sluice.gateway.config.ClientTimeouts;
import dev.sluice.gateway.config.ClientTimeouts;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.ingest.ReadLimits;
import dev.sluice.ingest.kafka.ProducerSafety;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole gateway with its default client timeouts ({@link ClientTimeouts#defaults()}: 10 s for a head, 30 s for a
 * body): a silent connection and a stalled body are both cut off. Both clients run at once, so the test takes about
 * the body timeout. Kafka points at a closed port; no request here reaches an append.
 */
class GatewaySlowClientTest {
  private static final ClientTimeouts DEFAULTS = ClientTimeouts.defaults();
  /** Hang guard: well beyond the timeouts. */
  private static final int GIVE_UP_MS = (int) DEFAULTS.body().toMillis() + 20_000;

  private Vertx vertx;
  private int port;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    StreamCatalog catalog = StreamCatalog.loadDefault();
    GatewayVerticle gateway = new GatewayVerticle(
        new GatewayConfig("127.0.0.1", 0, 1024, Duration.ofSeconds(1), ReadLimits.defaults(),
            ProducerSafety.defaults(), SHORT_TIMEOUTS), SchemaRegistry.fromCatalog(catalog),
        Map.of("bootstrap.servers", "127.0.0.1:" + closed), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    vertx.deployVerticle(gateway).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    port = gateway.actualPort();
  }

  /** Short enough to keep the test quick; the cut-offs themselves are what is checked, not their timing. */
  private static final ClientTimeouts SHORT_TIMEOUTS =
      new ClientTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(10));

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(GIVE_UP_MS);
    return s;
  }

  private static String readUntilClosed(Socket s) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the gateway kept the connection open for " + GIVE_UP_MS + " ms; read so far: "
          + got.toString(StandardCharsets.US_ASCII), e);
    } catch (SocketException e) {
      // Reset: closed.
    }
    return got.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void aSilentConnectionAndAStalledBodyAreBothCutOff() throws IOException {
    try (Socket silent = connect(); Socket stalled = connect()) {
      stalled.getOutputStream().write(("POST /v1/streams/retail/events HTTP/1.1\r\nHost: localhost\r\n"
          + "Authorization: Bearer dev-producer\r\nContent-Type: application/cloudevents+json\r\nContent-Length: 500\r\n\r\n{\"specversion\":")
          .getBytes(StandardCharsets.US_ASCII));
      stalled.getOutputStream().flush();

      assertEquals("", readUntilClosed(silent), "no head, no answer: just closed");
      String answer = readUntilClosed(stalled);
      assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
      assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
    }
  }

  @Test
  void aRefusalBeforeTheBodyArrivedClosesTheConnection() throws IOException {
    try (Socket unauthenticated = connect()) {
      unauthenticated.getOutputStream().write(("POST /v1/streams/retail/events HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/cloudevents+json\r\nContent-Length: 500\r\n\r\n{\"specversion\":")
          .getBytes(StandardCharsets.US_ASCII));
      unauthenticated.getOutputStream().flush();
      // Answered 401 without waiting for the body, and closed: the unread rest of the body makes the connection
      // unusable, and keeping it would let a client park connections for free.
      String answer = readUntilClosed(unauthenticated);
      assertTrue(answer.startsWith("HTTP/1.1 401 "), answer);
      assertTrue(answer.toLowerCase().contains("connection: close"), answer);
    }
  }
}
