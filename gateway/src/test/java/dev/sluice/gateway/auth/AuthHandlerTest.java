package dev.sluice.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The handler on a real router and HTTP server: status codes, challenge and Retry-After headers, problem bodies. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthHandlerTest {
  private static final ApiKey PRODUCER =
      new ApiKey("retail-producer", ApiKeys.sha256Hex("p-token"), Set.of("retail"), false, 1000, 1000);
  private static final ApiKey ADMIN = new ApiKey("ops", ApiKeys.sha256Hex("a-token"), Set.of("*"), true, 1000, 1000);
  private static final ApiKey SLOW = new ApiKey("slow", ApiKeys.sha256Hex("s-token"), Set.of("*"), false, 0.25, 1);

  private Vertx vertx;
  private WebClient client;
  private HttpServer server;
  private SimpleMeterRegistry meters;
  private final AtomicLong nanos = new AtomicLong();

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    meters = new SimpleMeterRegistry();
    Authorizer authorizer = new Authorizer(ApiKeys.of(List.of(PRODUCER, ADMIN, SLOW)), new RateLimiter(nanos::get));
    Router router = Router.router(vertx);
    router.post("/v1/streams/:stream/events")
        .handler(AuthHandler.ingest(authorizer, meters))
        .handler(BodyHandler.create(false).setBodyLimit(1024))
        .handler(AuthHandlerTest::answerWithTheKey);
    router.get("/v1/schemas").handler(AuthHandler.registryRead(authorizer, meters))
        .handler(AuthHandlerTest::answerWithTheKey);
    router.post("/v1/schemas/:type/versions").handler(AuthHandler.registryWrite(authorizer, meters))
        .handler(AuthHandlerTest::answerWithTheKey);
    router.put("/v1/streams/:stream").handler(AuthHandler.streamAdmin(authorizer, meters))
        .handler(AuthHandlerTest::answerWithTheKey);
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    client = WebClient.create(vertx);
  }

  private static void answerWithTheKey(RoutingContext ctx) {
    ApiKey key = AuthHandler.apiKey(ctx).orElseThrow();
    ctx.response().setStatusCode(200).end(new JsonObject().put("key", key.name()).encode());
  }

  @AfterAll
  void stop() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path, String authorization) throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (authorization != null) {
      headers.add("Authorization", authorization);
    }
    return await(client.request(method, server.actualPort(), "127.0.0.1", path).putHeaders(headers)
        .sendBuffer(Buffer.buffer("{\"specversion\":\"1.0\"}")));
  }

  private static JsonObject problem(HttpResponse<Buffer> r, int status, String slug) {
    assertEquals(status, r.statusCode(), r::bodyAsString);
    assertEquals("application/problem+json", r.getHeader("Content-Type"));
    JsonObject p = r.bodyAsJsonObject();
    assertEquals(status, p.getInteger("status"));
    assertEquals("https://sluice.dev/problems/" + slug, p.getString("type"));
    return p;
  }

  private double denied(String reason) {
    var c = meters.find(AuthHandler.DENIED).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void grantedRequestsReachTheRouteWithTheKeyInTheContext() throws Exception {
    HttpResponse<Buffer> r = call(HttpMethod.POST, "/v1/streams/retail/events", "Bearer p-token");
    assertEquals(200, r.statusCode(), r::bodyAsString);
    assertEquals("retail-producer", r.bodyAsJsonObject().getString("key"));
    assertEquals("ops", call(HttpMethod.PUT, "/v1/streams/retail", "Bearer a-token").bodyAsJsonObject()
        .getString("key"));
    assertEquals("retail-producer", call(HttpMethod.GET, "/v1/schemas", "Bearer p-token").bodyAsJsonObject()
        .getString("key"));
  }

  @Test
  void missingCredentialsAre401WithABearerChallenge() throws Exception {
    double before = denied("missing_credentials");
    HttpResponse<Buffer> r = call(HttpMethod.POST, "/v1/streams/retail/events", null);
    JsonObject p = problem(r, 401, "missing-credentials");
    assertEquals("Bearer realm=\"sluice\"", r.getHeader("WWW-Authenticate"));
    assertEquals("/v1/streams/retail/events", p.getString("instance"));
    problem(call(HttpMethod.GET, "/v1/schemas", "Basic dXNlcjpwYXNz"), 401, "missing-credentials");
    assertEquals(before + 2, denied("missing_credentials"));
  }

  @Test
  void credentialsAreCheckedBeforeTheBodyIsRead() throws Exception {
    // Over the route's 1 KiB body limit: a 413 would mean the body handler ran first.
    HttpResponse<Buffer> r = await(client.post(server.actualPort(), "127.0.0.1", "/v1/streams/retail/events")
        .sendBuffer(Buffer.buffer("x".repeat(64 * 1024))));
    problem(r, 401, "missing-credentials");
    assertEquals(200, call(HttpMethod.POST, "/v1/streams/retail/events", "Bearer p-token").statusCode(),
        "the server carries on normally");
  }

  @Test
  void unknownKeysAre401AndTheTokenIsNotEchoed() throws Exception {
    HttpResponse<Buffer> r = call(HttpMethod.POST, "/v1/streams/retail/events", "Bearer not-a-key-123");
    problem(r, 401, "unknown-api-key");
    assertEquals("Bearer realm=\"sluice\", error=\"invalid_token\"", r.getHeader("WWW-Authenticate"));
    assertFalse(r.bodyAsString().contains("not-a-key-123"));
    assertEquals(1, denied("unknown_key"));
  }

  @Test
  void aStreamOutsideTheKeysScopeIs403() throws Exception {
    HttpResponse<Buffer> r = call(HttpMethod.POST, "/v1/streams/orders/events", "Bearer p-token");
    JsonObject p = problem(r, 403, "stream-forbidden");
    assertEquals("API key 'retail-producer' may not post to stream 'orders'", p.getString("detail"));
    assertNull(r.getHeader("WWW-Authenticate"));
    assertFalse(r.bodyAsString().contains("p-token"));
    assertEquals(1, denied("stream_forbidden"));
  }

  @Test
  void registryWritesAndStreamChangesNeedAnAdminKey() throws Exception {
    problem(call(HttpMethod.POST, "/v1/schemas/retail.product.created/versions", "Bearer p-token"), 403,
        "admin-required");
    problem(call(HttpMethod.PUT, "/v1/streams/retail", "Bearer p-token"), 403, "admin-required");
    assertEquals(200, call(HttpMethod.POST, "/v1/schemas/retail.product.created/versions", "Bearer a-token")
        .statusCode());
    assertEquals(2, denied("admin_required"));
  }

  @Test
  void overTheRateIs429WithRetryAfter() throws Exception {
    assertEquals(200, call(HttpMethod.POST, "/v1/streams/retail/events", "Bearer s-token").statusCode());
    HttpResponse<Buffer> r = call(HttpMethod.POST, "/v1/streams/retail/events", "Bearer s-token");
    JsonObject p = problem(r, 429, "rate-limited");
    assertEquals("4", r.getHeader("Retry-After"), "one request per 4 s");
    assertEquals("API key 'slow' is over its rate of 0.25 requests per second; retry after 4 s",
        p.getString("detail"));
    assertEquals(1, denied("rate_limited"));
  }
}
