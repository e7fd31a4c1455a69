package dev.sluice.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.gateway.auth.ApiKeys;
import dev.sluice.gateway.auth.Authorizer;
import dev.sluice.gateway.auth.RateLimiter;
import dev.sluice.gateway.config.DeclaredReadsMode;
import dev.sluice.gateway.confluent.ConfluentParts;
import dev.sluice.gateway.confluent.ConfluentRoutes;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.contracts.DeclaredReader;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.log.RegistryAdmin;
import dev.sluice.schemas.registry.log.RegistryLog;
import dev.sluice.schemas.registry.log.RegistryLogConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The routes that answer about a proposed schema, over HTTP, with a test {@link LiveReaders}: one server in inform
 * mode, one in protect mode. Their registry log is never started (no broker here): these tests only reach answers
 * that are given before anything is registered (registrations against a real log are {@code RegistryContractsIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryContractRoutesTest {
  private static final String TYPE = "retail.product.created";
  private static final long MAX_BODY = 64 * 1024;
  private static final DeclaredReader BILLING =
      new DeclaredReader("billing", "payments", "#payments", new TreeSet<>(List.of("/data/price")));

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** What the test LiveReaders answers; set per test. */
  private final AtomicReference<Function<String, Future<List<DeclaredReader>>>> answer = new AtomicReference<>();
  private Vertx vertx;
  private String inform;
  private String protect;
  private String integerPrice;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    SchemaRegistry registry = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());
    integerPrice = registry.state().latest(TYPE).orElseThrow().schemaJson()
        .replace("\"price\": { \"type\": \"number\"", "\"price\": { \"type\": \"integer\"");
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    RegistryAdmin admin = new RegistryAdmin(new RegistryLog(RegistryLogConfig.defaults(),
        Map.of("bootstrap.servers", "127.0.0.1:" + closed)));
    LiveReaders readers = type -> answer.get().apply(type);
    inform = serve(registry, admin, new ContractChecks(readers, DeclaredReadsMode.INFORM));
    protect = serve(registry, admin, new ContractChecks(readers, DeclaredReadsMode.PROTECT));
  }

  private String serve(SchemaRegistry registry, RegistryAdmin admin, ContractChecks contracts) throws Exception {
    Router router = Router.router(vertx);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    RegistryRoutes.mount(router, vertx,
        new RegistryRoutes.Parts(registry, admin, StreamTopics.NONE, contracts, MAX_BODY, meters));
    ConfluentRoutes.mount(router, vertx, new ConfluentParts(registry, admin,
        new Authorizer(ApiKeys.dev(), new RateLimiter(System::nanoTime)), MAX_BODY, meters, contracts));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return "http://127.0.0.1:" + server.actualPort();
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void billingReadsThePrice() {
    answer.set(type -> Future.succeededFuture(type.equals(TYPE) ? List.of(BILLING) : List.of()));
  }

  private record Response(int status, String contentType, Map<String, List<String>> headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private Response post(String url, String body) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Authorization", "Bearer dev-admin")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.headers().map(),
        r.body());
  }

  /** A LiveReaders answer that completes on a thread of its own, as a store client's would. */
  private static Future<List<DeclaredReader>> fromAnotherThread(List<DeclaredReader> readers, Throwable failure) {
    Promise<List<DeclaredReader>> p = Promise.promise();
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (failure == null) {
        p.complete(readers);
      } else {
        p.fail(failure);
      }
    }, "test-store-client");
    t.start();
    return p.future();
  }

  @Test
  void theDryRunNamesWhoReadsTheBrokenFieldsWhenTheGroupsAnswerFromAnotherThread() throws Exception {
    answer.set(type -> fromAnotherThread(List.of(BILLING), null));
    Response r = post(inform + "/v1/schemas/" + TYPE + "/compatibility", integerPrice);
    assertEquals(200, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/json"), r.contentType());
    JsonObject body = r.json();
    assertEquals(false, body.getBoolean("compatible"));
    assertEquals("type-narrowed", body.getJsonArray("changes").getJsonObject(0).getString("rule"));
    JsonObject billing = body.getJsonArray("affects").getJsonObject(0);
    assertEquals("billing", billing.getString("group"));
    assertEquals("payments", billing.getString("owner"));
    assertEquals("#payments", billing.getString("contact"));
    assertEquals("/data/price", billing.getJsonArray("pointers").getString(0));
  }

  @Test
  void theDryRunOfAnUnknownTypeIsA404() throws Exception {
    Response r = post(inform + "/v1/schemas/no.such.type/compatibility", "{\"type\":\"object\"}");
    assertEquals(404, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    assertEquals("https://sluice.dev/problems/unknown-type", r.json().getString("type"));
  }

  @Test
  void theDryRunTakesTheRegistrationsBodyLimit() throws Exception {
    String big = "{\"description\":\"" + "x".repeat((int) MAX_BODY) + "\"}";
    Response r = post(inform + "/v1/schemas/" + TYPE + "/compatibility", big);
    assertEquals(413, r.status(), r.body());
  }

  @Test
  void informModeAnswersWithoutTheGroupsAndSaysWhy() throws Exception {
    answer.set(type -> fromAnotherThread(List.of(), new IllegalStateException("table sluice-groups is gone")));
    JsonObject body = post(inform + "/v1/schemas/" + TYPE + "/compatibility", integerPrice).json();
    assertEquals(false, body.getBoolean("compatible"), "the level still decides");
    assertEquals(0, body.getJsonArray("affects").size());
    String why = body.getString("affectsUnknown");
    assertTrue(why.contains("could not be read (IllegalStateException)"), why);
    assertFalse(why.contains("sluice-groups"), "the store's own words are not repeated: " + why);
  }

  @Test
  void protectModeNeverRegistersUncheckedWhenTheGroupsCannotBeRead() throws Exception {
    answer.set(type -> fromAnotherThread(List.of(), new IllegalStateException("store outage")));
    for (String path : List.of("/compatibility", "/versions")) {
      Response r = post(protect + "/v1/schemas/" + TYPE + path, integerPrice);
      assertEquals(503, r.status(), path + ": " + r.body());
      assertEquals("https://sluice.dev/problems/declared-reads-unavailable", r.json().getString("type"));
      assertEquals(List.of("5"), r.headers().get("retry-after"));
    }
    // A LiveReaders that throws instead of answering a failed Future is the same.
    answer.set(type -> {
      throw new IllegalStateException("bug");
    });
    assertEquals(503, post(protect + "/v1/schemas/" + TYPE + "/versions", integerPrice).status());
    Response confluent = post(protect + "/confluent/subjects/" + TYPE + "/versions",
        new JsonObject().put("schemaType", "JSON").put("schema", integerPrice).encode());
    assertEquals(503, confluent.status(), confluent.body());
    assertEquals(50001, confluent.json().getInteger("error_code"));
  }

  @Test
  void protectModeReportsABrokenDeclaredFieldAsNotCompatible() throws Exception {
    String noPrice = integerPrice.replace(",\n    \"price\": { \"type\": \"integer\", \"exclusiveMinimum\": 0 }", "")
        .replace(", \"price\"]", "]");
    assertFalse(noPrice.contains("price"), noPrice);
    JsonObject informed = post(inform + "/v1/schemas/" + TYPE + "/compatibility", noPrice).json();
    assertEquals(true, informed.getBoolean("compatible"), informed.encode());
    assertEquals("billing", informed.getJsonArray("protectedFieldsBroken").getJsonObject(0).getString("group"));
    JsonObject protectedAnswer = post(protect + "/v1/schemas/" + TYPE + "/compatibility", noPrice).json();
    assertEquals(false, protectedAnswer.getBoolean("compatible"), protectedAnswer.encode());
    JsonObject confluent = post(protect + "/confluent/compatibility/subjects/" + TYPE + "/versions/latest?verbose=true",
        new JsonObject().put("schemaType", "JSON").put("schema", noPrice).encode()).json();
    assertEquals(false, confluent.getBoolean("is_compatible"), confluent.encode());
    assertTrue(confluent.getJsonArray("messages").stream().anyMatch(m -> m.toString()
        .startsWith("breaks declared reads of group `billing` (owner `payments`, contact `#payments`): /data/price")),
        confluent.encode());
  }

  @Test
  void theConfluentCheckListsTheAffectedGroupsInItsMessages() throws Exception {
    String url = inform + "/confluent/compatibility/subjects/" + TYPE + "/versions/latest";
    String body = new JsonObject().put("schemaType", "JSON").put("schema", integerPrice).encode();
    JsonObject verbose = post(url + "?verbose=true", body).json();
    assertEquals(Set.of("is_compatible", "messages"), verbose.fieldNames(), "Confluent's shape");
    assertEquals(false, verbose.getBoolean("is_compatible"));
    assertTrue(verbose.getJsonArray("messages").contains(
        "affects group `billing` (owner `payments`, contact `#payments`): /data/price (type-narrowed)"),
        verbose.encode());
    assertEquals(Set.of("is_compatible"), post(url, body).json().fieldNames());
  }
}
