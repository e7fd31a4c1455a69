package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.auth.AuthSettings;
import dev.sluice.console.config.ConsoleConfig;
import dev.sluice.console.support.DeadEngines;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console over real HTTP, with its real store and queue pointed at engines that are not there: routing,
 * problem+json, limits, metrics and the "engine down" answers. The happy paths against live DynamoDB and SQS are the
 * lead's integration tests.
 */
class ConsoleVerticleTest {
  private static final String ITEM = "/api/v1/quarantine/6f1c2b1e-0000-3000-8000-000000000001";

  private Vertx vertx;
  private DeadEngines engines;
  private PrometheusMeterRegistry meters;
  private ConsoleVerticle console;
  private WebClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    engines = new DeadEngines(vertx);
    meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    console = new ConsoleVerticle(new ConsoleConfig("127.0.0.1", 0, AuthSettings.dev()),
        engines.consoleParts(AuthSettings.dev(), SchemaRegistry.fromCatalog(StreamCatalog.loadDefault())), meters);
    vertx.deployVerticle(console).await(20, TimeUnit.SECONDS);
    client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(console.actualPort()));
  }

  @AfterEach
  void stop() {
    client.close();
    vertx.close().await();
    engines.close();
    meters.close();
  }

  /** As the dev operator's bearer token (no CSRF token needed), unless {@code headers} name other credentials. */
  private HttpResponse<Buffer> send(HttpMethod method, String uri, Buffer body, String... headers) throws Exception {
    var req = client.request(method, uri).putHeader("Authorization", "Bearer dev-operator");
    for (int i = 0; i < headers.length; i += 2) {
      req.putHeader(headers[i], headers[i + 1]);
    }
    return (body == null ? req.send() : req.sendBuffer(body)).await(30, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> get(String uri) throws Exception {
    return send(HttpMethod.GET, uri, null);
  }

  private static JsonObject problem(HttpResponse<Buffer> r, int status, String slug) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals("application/problem+json", r.getHeader("Content-Type"));
    JsonObject json = r.bodyAsJsonObject();
    assertEquals("https://sluice.dev/problems/" + slug, json.getString("type"), json.encode());
    assertEquals(status, json.getInteger("status"));
    return json;
  }

  private double redrives(String outcome) {
    return meters.get("sluice.console.redrive.requests").tag("outcome", outcome).counter().count();
  }

  @Test
  void listensOnTheChosenFreePort() {
    assertTrue(console.actualPort() > 0);
  }

  @Test
  void livenessIsUpEvenWhenTheStoreIsDownButReadinessIsNot() throws Exception {
    HttpResponse<Buffer> live = get("/health/live");
    assertEquals(200, live.statusCode());
    assertEquals("UP", live.bodyAsJsonObject().getString("status"));

    HttpResponse<Buffer> ready = get("/health/ready");
    problem(ready, 503, "engine-unavailable");
    assertEquals("5", ready.getHeader("Retry-After"), "a 503 says when to try again");
  }

  @Test
  void metricsArePrometheusTextWithEveryRedriveOutcome() throws Exception {
    HttpResponse<Buffer> r = get("/metrics");
    assertEquals(200, r.statusCode());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", r.getHeader("Content-Type"));
    for (String outcome : new String[] {"accepted", "invalid", "conflict", "not_found", "unavailable"}) {
      assertTrue(r.bodyAsString().contains("sluice_console_redrive_requests_total{outcome=\"" + outcome + "\"} 0"),
          outcome + " missing in:\n" + r.bodyAsString());
    }
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() throws Exception {
    JsonObject json = problem(get("/no/such/page"), 404, "not-found");
    assertEquals("/no/such/page", json.getString("instance"));
    problem(send(HttpMethod.POST, "/api/v1/nothing", Buffer.buffer("{}")), 404, "not-found");
    problem(send(HttpMethod.DELETE, "/api/v1/quarantine", null), 404, "not-found");
  }

  @Test
  void servesThePageAndItsScript() throws Exception {
    HttpResponse<Buffer> page = get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.getHeader("Content-Type").startsWith("text/html"), page.getHeader("Content-Type"));
    for (String id : new String[] {"items-table", "filter-status", "filter-stream", "filter-group", "detail-payload",
        "data-editor", "redrive-button", "redrive-outcome"}) {
      assertTrue(page.bodyAsString().contains("id=\"" + id + "\""), id);
    }
    assertTrue(page.getHeader("Content-Security-Policy").contains("default-src 'self'"));

    HttpResponse<Buffer> script = get("/app.js");
    assertEquals(200, script.statusCode());
    assertTrue(script.bodyAsString().contains("/redrive"));
  }

  @Test
  void badListParametersAre400NamingTheParameter() throws Exception {
    assertEquals("status", problem(get("/api/v1/quarantine?status=bogus"), 400, "bad-parameter")
        .getString("parameter"));
    assertEquals("limit", problem(get("/api/v1/quarantine?limit=0"), 400, "bad-parameter").getString("parameter"));
  }

  @Test
  void readsAnswer503WhileTheStoreIsDown() throws Exception {
    problem(get("/api/v1/quarantine"), 503, "engine-unavailable");
    problem(get(ITEM), 503, "engine-unavailable");
  }

  @Test
  void anIdThatCannotExistIs404WithoutAskingTheStore() throws Exception {
    problem(get("/api/v1/quarantine/" + "x".repeat(300)), 404, "item-not-found");
  }

  @Test
  void aRedriveWithABadBodyIs400AndCountedInvalid() throws Exception {
    problem(send(HttpMethod.POST, ITEM + "/redrive", Buffer.buffer("{\"data\": ")), 400, "malformed-body");
    assertEquals(1.0, redrives("invalid"));
    assertEquals(0.0, redrives("accepted"));
  }

  @Test
  void anOversizedBodyIs413() throws Exception {
    byte[] big = new byte[(int) ConsoleVerticle.BODY_LIMIT_BYTES + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    problem(send(HttpMethod.POST, ITEM + "/redrive", Buffer.buffer(big), "Content-Type", "application/json"),
        413, "body-too-large");
    assertEquals(1.0, redrives("invalid"));
  }

  @Test
  void aRedriveWhileTheStoreIsDownIs503AndCountedUnavailable() throws Exception {
    problem(send(HttpMethod.POST, ITEM + "/redrive", null), 503,
        "engine-unavailable");
    assertEquals(1.0, redrives("unavailable"));
    HttpResponse<Buffer> scrape = get("/metrics");
    assertTrue(scrape.bodyAsString().contains("sluice_console_redrive_requests_total{outcome=\"unavailable\"} 1"),
        scrape.bodyAsString());
  }

  @Test
  void aDiscardWithoutAReasonIs400PointingAtTheReasonAndAnOversizedOneIs413() throws Exception {
    assertEquals("/reason", problem(send(HttpMethod.POST, ITEM + "/discard", Buffer.buffer("{}")), 400, "bad-field")
        .getString("pointer"));
    problem(send(HttpMethod.POST, ITEM + "/discard", null), 400, "bad-field");
    byte[] big = new byte[(int) ConsoleVerticle.DISCARD_BODY_LIMIT_BYTES + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    problem(send(HttpMethod.POST, ITEM + "/discard", Buffer.buffer(big), "Content-Type", "application/json"),
        413, "body-too-large");
    problem(send(HttpMethod.POST, ITEM + "/discard", Buffer.buffer("{\"reason\": \"dup\"}")), 503,
        "engine-unavailable");
  }

  @Test
  void badAuditAndGroupParametersAre400NamingTheParameter() throws Exception {
    assertEquals("itemId", problem(get("/api/v1/audit?itemId=a%20b"), 400, "bad-parameter").getString("parameter"));
    assertEquals("action", problem(get("/api/v1/audit?action=drop-it"), 400, "bad-parameter").getString("parameter"));
    assertEquals("cursor", problem(get("/api/v1/audit?cursor=zz"), 400, "bad-parameter").getString("parameter"));
    assertEquals("from", problem(get("/api/v1/quarantine/groups?from=soon"), 400, "bad-parameter")
        .getString("parameter"));
    problem(get("/api/v1/audit"), 503, "engine-unavailable");
  }
}
