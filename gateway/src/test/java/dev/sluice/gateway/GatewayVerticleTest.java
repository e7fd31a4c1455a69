package dev.sluice.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The HTTP surface of the whole verticle, with the Kafka clients pointed at a closed local port: no broker is started
 * or faked. Everything up to the append is exercised for real; the append itself must fail within the append timeout
 * and answer 503, which is the gateway's behaviour when the broker is down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayVerticleTest {
  private static final String EVENTS = "/v1/streams/retail/events";
  private static final String CE = "application/cloudevents+json";

  private Vertx vertx;
  private WebClient client;
  private PrometheusMeterRegistry meters;
  private GatewayConfig config;
  private Map<String, String> kafka;
  private int port;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    config = new GatewayConfig("127.0.0.1", 0, 512, Duration.ofSeconds(1));
    kafka = Map.of("bootstrap.servers", "127.0.0.1:" + closedPort());
    StreamCatalog catalog = StreamCatalog.loadDefault();
    GatewayVerticle gateway =
        new GatewayVerticle(config, SchemaRegistry.fromCatalog(catalog), kafka, meters);
    await(vertx.deployVerticle(gateway));
    port = gateway.actualPort();
    assertTrue(port > 0, "actualPort after start");
    client = WebClient.create(vertx);
  }

  @AfterAll
  void stop() throws Exception {
    await(vertx.close());
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, MultiMap headers, String body) throws Exception {
    var req = client.request(method, port, "127.0.0.1", path).putHeaders(headers);
    if (!headers.contains("Authorization")) {
      req.putHeader("Authorization", "Bearer dev-producer"); // the documented dev key (GatewayParts.standalone)
    }
    return await(body == null ? req.send() : req.sendBuffer(Buffer.buffer(body)));
  }

  private HttpResponse<Buffer> post(String contentType, String body) throws Exception {
    return send(HttpMethod.POST, EVENTS, MultiMap.caseInsensitiveMultiMap().add("Content-Type", contentType), body);
  }

  private static JsonObject problem(HttpResponse<Buffer> r, int status) {
    assertEquals(status, r.statusCode(), () -> r.bodyAsString());
    assertEquals("application/problem+json", r.getHeader("Content-Type"));
    JsonObject p = r.bodyAsJsonObject();
    assertEquals(status, p.getInteger("status"));
    return p;
  }

  private static String event(String type, String data) {
    return "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/t\",\"type\":\"" + type + "\",\"data\":" + data + "}";
  }

  @Test
  void liveness() throws Exception {
    HttpResponse<Buffer> r = send(HttpMethod.GET, "/health/live", MultiMap.caseInsensitiveMultiMap(), null);
    assertEquals(200, r.statusCode());
    assertEquals(new JsonObject().put("status", "UP"), r.bodyAsJsonObject());
  }

  @Test
  void notReadyWithoutKafka() throws Exception {
    HttpResponse<Buffer> r = send(HttpMethod.GET, "/health/ready", MultiMap.caseInsensitiveMultiMap(), null);
    assertEquals(503, r.statusCode());
    assertEquals("DOWN", r.bodyAsJsonObject().getString("status"));
  }

  @Test
  void unknownRouteAndWrongMethodAreProblems() throws Exception {
    JsonObject p = problem(send(HttpMethod.GET, "/nothing/here", MultiMap.caseInsensitiveMultiMap(), null), 404);
    assertEquals("/nothing/here", p.getString("instance"));
    HttpResponse<Buffer> r = send(HttpMethod.GET, EVENTS, MultiMap.caseInsensitiveMultiMap(), null);
    problem(r, 405);
    assertEquals("POST", r.getHeader("Allow"));
  }

  @Test
  void unknownStream() throws Exception {
    HttpResponse<Buffer> r = send(HttpMethod.POST, "/v1/streams/nope/events",
        MultiMap.caseInsensitiveMultiMap().add("Content-Type", CE), event("retail.product.created", "{}"));
    JsonObject p = problem(r, 404);
    assertEquals("https://sluice.dev/problems/unknown-stream", p.getString("type"));
    assertEquals("/v1/streams/nope/events", p.getString("instance"));
  }

  @Test
  void badInputIsFourHundredSomething() throws Exception {
    assertEquals("https://sluice.dev/problems/malformed-json", problem(post(CE, "{nope"), 400).getString("type"));
    assertEquals("https://sluice.dev/problems/not-a-cloudevent",
        problem(post("application/json", "{\"id\":\"x\"}"), 400).getString("type"));
    problem(post("text/plain", "hello"), 415);
    JsonObject attrs = problem(post(CE, "{\"specversion\":\"1.0\",\"data\":{}}"), 400);
    assertEquals("/id", attrs.getJsonArray("violations").getJsonObject(0).getString("pointer"));
    problem(post(CE, event("retail.order.placed", "{}")), 422);
  }

  @Test
  void schemaViolationListsPointersIntoTheEvent() throws Exception {
    JsonObject p = problem(post(CE, event("retail.product.created",
        "{\"id\":\"p-1\",\"brand\":\"B\",\"name\":\"N\",\"category\":\"C\",\"price\":0}")), 422);
    assertEquals("https://sluice.dev/problems/schema-violation", p.getString("type"));
    assertEquals("/data/price", p.getJsonArray("violations").getJsonObject(0).getString("pointer"));
    assertEquals(EVENTS, p.getString("instance"));
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    String big = event("retail.product.created", "{\"description\":\"" + "x".repeat(600) + "\"}");
    assertEquals("https://sluice.dev/problems/payload-too-large", problem(post(CE, big), 413).getString("type"));
  }

  @Test
  void validEventWithTheBrokerDownIs503WithinTheAppendTimeout() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<Buffer> r = post(CE, event("retail.product.created", PRODUCT));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    JsonObject p = problem(r, 503);
    assertEquals("https://sluice.dev/problems/broker-unavailable", p.getString("type"));
    assertEquals("5", r.getHeader("Retry-After"));
    assertTrue(ms < config.appendTimeout().toMillis() + 2_000, "answered after " + ms + " ms");
  }

  @Test
  void anEventWithMarkedValuesAndNoKeyRingIs503KeyUnavailableWithoutQuotingThem() throws Exception {
    // This gateway has no key ring: the photographer's name and e-mail cannot be sealed, so it is not appended.
    HttpResponse<Buffer> r = post(CE, event("retail.photographer.registered", PHOTOGRAPHER));
    JsonObject p = problem(r, 503);
    assertEquals("https://sluice.dev/problems/key-unavailable", p.getString("type"));
    assertEquals("5", r.getHeader("Retry-After"));
    assertFalse(p.encode().contains("ann@example.com") || p.encode().contains("Ann"), p.encode());

    HttpResponse<Buffer> batch = post(BATCH, "[" + event("retail.photographer.registered", PHOTOGRAPHER) + "]");
    JsonObject b = problem(batch, 503);
    assertEquals("https://sluice.dev/problems/key-unavailable", b.getString("type"));
    assertEquals("failed", b.getJsonArray("results").getJsonObject(0).getString("status"));
  }

  @Test
  void metricsArePrometheusText() throws Exception {
    post(CE, event("retail.product.created", "{\"id\":\"p-1\"}"));
    post(CE, event("retail.order.placed", "{}"));
    HttpResponse<Buffer> r = send(HttpMethod.GET, "/metrics", MultiMap.caseInsensitiveMultiMap(), null);
    assertEquals(200, r.statusCode());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", r.getHeader("Content-Type"));
    String text = r.bodyAsString();
    assertTrue(text.matches("(?s).*sluice_gateway_events_rejected_total\\{[^}]*reason=\"schema_violation\""
        + "[^}]*type=\"retail.product.created\"[^}]*} [1-9].*"), text);
    assertTrue(text.matches("(?s).*sluice_gateway_events_rejected_total\\{[^}]*reason=\"type_not_accepted\""
        + "[^}]*type=\"unknown\"[^}]*} [1-9].*"), text);
    assertTrue(text.contains("sluice_gateway_ingest_duration_seconds_bucket{"), text);
    assertTrue(text.contains("outcome=\"rejected\""), text);
  }

  private static final String BATCH = "application/cloudevents-batch+json";
  private static final String PHOTOGRAPHER = "{\"id\":\"ph-1\",\"name\":\"Ann\",\"email\":\"ann@example.com\"}";
  private static final String PRODUCT = "{\"id\":\"p-1\",\"brand\":\"B\",\"name\":\"N\",\"category\":\"C\",\"price\":9.5}";

  @Test
  void anAllOrNothingBatchWithAnInvalidEventIs422WithoutWaitingForTheBroker() throws Exception {
    HttpResponse<Buffer> r = post(BATCH, "[" + event("retail.photographer.registered", PHOTOGRAPHER) + ","
        + event("retail.photographer.registered", "{\"id\":\"ph-2\"}") + "]");
    JsonObject p = problem(r, 422);
    assertEquals("https://sluice.dev/problems/batch-rejected", p.getString("type"));
    assertEquals("aborted", p.getJsonArray("results").getJsonObject(0).getString("status"));
    assertEquals("rejected", p.getJsonArray("results").getJsonObject(1).getString("status"));
  }

  @Test
  void aValidBatchWithTheBrokerDownIs503WithEveryEventFailed() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<Buffer> r = post(BATCH + "; charset=utf-8", "[" + event("retail.product.created", PRODUCT) + ","
        + event("retail.product.created", PRODUCT.replace("p-1", "p-2")) + "]");
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    JsonObject p = problem(r, 503);
    assertEquals("5", r.getHeader("Retry-After"));
    assertEquals("https://sluice.dev/problems/broker-unavailable", p.getString("type"));
    assertEquals(2, p.getJsonArray("results").size());
    p.getJsonArray("results").forEach(o -> assertEquals("failed", ((JsonObject) o).getString("status")));
    assertTrue(ms < config.appendTimeout().toMillis() + 2_000, "answered after " + ms + " ms");
  }

  @Test
  void batchProblemsOfTheWholeBody() throws Exception {
    assertEquals("https://sluice.dev/problems/empty-batch", problem(post(BATCH, "[]"), 400).getString("type"));
    assertEquals("https://sluice.dev/problems/not-a-batch",
        problem(post(BATCH, event("retail.photographer.registered", PHOTOGRAPHER)), 400).getString("type"));
    HttpResponse<Buffer> badParam = send(HttpMethod.POST, EVENTS + "?partial=maybe",
        MultiMap.caseInsensitiveMultiMap().add("Content-Type", BATCH), "[1]");
    assertEquals("https://sluice.dev/problems/invalid-parameter", problem(badParam, 400).getString("type"));
    String big = "[" + event("retail.photographer.registered", PHOTOGRAPHER).repeat(1) + ","
        + ("{\"x\":\"" + "y".repeat(600) + "\"}") + "]";
    assertEquals("https://sluice.dev/problems/payload-too-large", problem(post(BATCH, big), 413).getString("type"));
  }

  @Test
  void batchSizesValidationAndAppendTimesAreMetered() throws Exception {
    post(BATCH, "[" + event("retail.photographer.registered", PHOTOGRAPHER) + "]");
    String text = send(HttpMethod.GET, "/metrics", MultiMap.caseInsensitiveMultiMap(), null).bodyAsString();
    assertTrue(text.matches("(?s).*sluice_gateway_batch_events_count\\{[^}]*stream=\"retail\"[^}]*} [1-9].*"), text);
    assertTrue(text.matches("(?s).*sluice_gateway_validation_duration_seconds_count\\{[^}]*stream=\"retail\"[^}]*} "
        + "[1-9].*"), text);
    assertTrue(text.matches("(?s).*sluice_gateway_append_duration_seconds_count\\{[^}]*outcome=\"failed\""
        + "[^}]*stream=\"retail\"[^}]*} [1-9].*"), text);
  }

  @Test
  void startFailsWhenThePortIsTaken() {
    StreamCatalog catalog = StreamCatalog.loadDefault();
    GatewayVerticle second = new GatewayVerticle(new GatewayConfig("127.0.0.1", port, 512, Duration.ofSeconds(1)),
        SchemaRegistry.fromCatalog(catalog), kafka, meters);
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(vertx.deployVerticle(second)));
    assertTrue(e.getCause() instanceof java.net.BindException || e.getCause().getMessage().contains("in use"),
        String.valueOf(e.getCause()));
  }
}
