package dev.sluice.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.gateway.auth.ApiKeys;
import dev.sluice.gateway.auth.Authorizer;
import dev.sluice.gateway.auth.RateLimiter;
import dev.sluice.gateway.config.DeclaredReadsMode;
import dev.sluice.gateway.confluent.ConfluentParts;
import dev.sluice.gateway.confluent.ConfluentRoutes;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.contracts.DeclaredReader;
import dev.sluice.schemas.registry.log.RegistryAdmin;
import dev.sluice.schemas.registry.log.RegistryLog;
import dev.sluice.schemas.registry.log.RegistryLogConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Registering schemas over HTTP against a registry kept in a real Kafka topic, with consumer groups that declared what
 * they read (a test {@link LiveReaders}, per type): the answers name who a change affects, and in protect mode a
 * change that breaks a declared field, or one that cannot be checked, is not registered. One registry log, two
 * gateways' routes over it: one informs, one protects.
 */
@ExtendWith(EnginesExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryContractsIT {
  private static final long MAX_BODY = 64 * 1024;
  private static final String V1 = "{\"type\":\"object\",\"required\":[\"id\"],\"properties\":{\"id\":{\"type\":"
      + "\"string\"},\"price\":{\"type\":\"number\"},\"note\":{\"type\":\"string\"}}}";
  /** V1 without {@code note}: BACKWARD allows it, the object being open. */
  private static final String NO_NOTE = V1.replace(",\"note\":{\"type\":\"string\"}", "");
  /** V1 with an integer price: BACKWARD refuses it. */
  private static final String INTEGER_PRICE = V1.replace("\"price\":{\"type\":\"number\"}",
      "\"price\":{\"type\":\"integer\"}");
  /** V1 with a description added, unconstrained: BACKWARD allows it and no declared field changes. */
  private static final String WITH_DESCRIPTION = V1.replace("}}}", "},\"description\":{}}}");

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** Per type, the groups that declared reads of it; a type absent here is one whose groups cannot be read. */
  private final Map<String, List<DeclaredReader>> declared = new ConcurrentHashMap<>();
  private Vertx vertx;
  private RegistryLog log;
  private String inform;
  private String protect;

  @BeforeAll
  void start(Engines engines) throws Exception {
    String topic = "_sluice_registry_contracts_it_" + UUID.randomUUID().toString().substring(0, 8);
    log = new RegistryLog(RegistryLogConfig.defaults().withTopic(topic),
        Map.of("bootstrap.servers", engines.bootstrapServers()));
    log.start(StreamCatalog.loadDefault());
    vertx = Vertx.vertx();
    RegistryAdmin admin = new RegistryAdmin(log);
    // As a store client would: answered on a thread of its own, failed when the groups cannot be read.
    LiveReaders readers = type -> vertx.executeBlocking(() -> {
      List<DeclaredReader> groups = declared.get(type);
      if (groups == null) {
        throw new IllegalStateException("the groups table is unreachable");
      }
      return groups;
    }, false);
    inform = serve(admin, new ContractChecks(readers, DeclaredReadsMode.INFORM));
    protect = serve(admin, new ContractChecks(readers, DeclaredReadsMode.PROTECT));
  }

  private String serve(RegistryAdmin admin, ContractChecks contracts) throws Exception {
    Router router = Router.router(vertx);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    RegistryRoutes.mount(router, vertx,
        new RegistryRoutes.Parts(log.registry(), admin, StreamTopics.NONE, contracts, MAX_BODY, meters));
    ConfluentRoutes.mount(router, vertx, new ConfluentParts(log.registry(), admin,
        new Authorizer(ApiKeys.dev(), new RateLimiter(System::nanoTime)), MAX_BODY, meters, contracts));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return "http://127.0.0.1:" + server.actualPort();
  }

  @AfterAll
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (log != null) {
      log.close();
    }
  }

  private record Response(int status, String contentType, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private Response send(String method, String url, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer dev-admin");
    b = body == null ? b.GET() : b.header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
  }

  private Response register(String base, String type, String schema) throws Exception {
    return send("POST", base + "/v1/schemas/" + type + "/versions", schema);
  }

  private JsonArray versions(String type) throws Exception {
    return send("GET", inform + "/v1/schemas/" + type + "/versions", null).json().getJsonArray("versions");
  }

  /** A fresh type with version 1 and its readers: billing reads the price, notes the note. */
  private String typeWithReaders() throws Exception {
    String type = "it.contracts." + UUID.randomUUID().toString().substring(0, 8);
    declared.put(type, List.of(
        new DeclaredReader("billing", "payments", "#payments", new TreeSet<>(List.of("/data/price"))),
        new DeclaredReader("notes", "", "", new TreeSet<>(List.of("/data/note")))));
    assertEquals(201, register(inform, type, V1).status());
    return type;
  }

  private static List<String> groups(JsonArray groups) {
    return groups.stream().map(g -> ((JsonObject) g).getString("group")).toList();
  }

  @Test
  void aNewVersionNamesTheGroupsWhoseDeclaredFieldsItRemoves() throws Exception {
    String type = typeWithReaders();
    Response r = register(inform, type, NO_NOTE);
    assertEquals(201, r.status(), r.body());
    assertEquals(2, r.json().getInteger("version"));
    JsonArray affects = r.json().getJsonArray("affects");
    assertEquals(List.of("notes"), groups(affects));
    assertEquals(new JsonArray().add("declared-field-removed"), affects.getJsonObject(0).getJsonArray("rules"));
    assertEquals(new JsonArray().add("/data/note"), affects.getJsonObject(0).getJsonArray("pointers"));
  }

  @Test
  void anIncompatibleVersionNamesWhoReadsTheBrokenFields() throws Exception {
    String type = typeWithReaders();
    Response r = register(inform, type, INTEGER_PRICE);
    assertEquals(409, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    assertEquals("https://sluice.dev/problems/incompatible-schema", r.json().getString("type"));
    JsonObject billing = r.json().getJsonArray("affects").getJsonObject(0);
    assertEquals("billing", billing.getString("group"));
    assertEquals("#payments", billing.getString("contact"));
    assertEquals(new JsonArray().add("type-narrowed"), billing.getJsonArray("rules"));
    assertEquals(new JsonArray().add("/price"), r.json().getJsonArray("changes").getJsonObject(0)
        .getJsonArray("paths"));
  }

  @Test
  void protectModeRefusesBreakingADeclaredFieldAndRegistersTheRest() throws Exception {
    String type = typeWithReaders();
    Response refused = register(protect, type, NO_NOTE);
    assertEquals(409, refused.status(), refused.body());
    assertEquals("https://sluice.dev/problems/declared-reads-broken", refused.json().getString("type"));
    assertEquals(List.of("notes"), groups(refused.json().getJsonArray("affects")));
    assertEquals(new JsonArray().add(1), versions(type), "nothing was registered");
    JsonObject dryRun = send("POST", protect + "/v1/schemas/" + type + "/compatibility", NO_NOTE).json();
    assertEquals(false, dryRun.getBoolean("compatible"));

    Response confluent = send("POST", protect + "/confluent/subjects/" + type + "/versions",
        new JsonObject().put("schemaType", "JSON").put("schema", NO_NOTE).encode());
    assertEquals(409, confluent.status(), confluent.body());
    assertTrue(confluent.json().getString("message").contains("group `notes`"), confluent.body());
    assertEquals(new JsonArray().add(1), versions(type), "nothing was registered through Confluent's API either");

    Response fine = register(protect, type, WITH_DESCRIPTION);
    assertEquals(201, fine.status(), fine.body());
    assertEquals(new JsonArray(), fine.json().getJsonArray("affects"));
  }

  @Test
  void whenTheGroupsCannotBeReadInformRegistersAndSaysSoProtectRegistersNothing() throws Exception {
    String type = typeWithReaders();
    declared.remove(type);
    Response refused = register(protect, type, WITH_DESCRIPTION);
    assertEquals(503, refused.status(), refused.body());
    assertEquals("https://sluice.dev/problems/declared-reads-unavailable", refused.json().getString("type"));
    assertEquals(new JsonArray().add(1), versions(type), "never registered unchecked");

    Response informed = register(inform, type, WITH_DESCRIPTION);
    assertEquals(201, informed.status(), informed.body());
    assertTrue(informed.json().getString("affectsUnknown").contains("could not be read"), informed.body());
    assertEquals(new JsonArray().add(1).add(2), versions(type));
  }

  @Test
  void noDeclaredReadsAffectNoOne() throws Exception {
    String type = "it.contracts.none." + UUID.randomUUID().toString().substring(0, 8);
    declared.put(type, List.of());
    Response first = register(protect, type, V1);
    assertEquals(201, first.status(), first.body());
    assertEquals(new JsonArray(), first.json().getJsonArray("affects"));
    assertEquals(201, register(protect, type, NO_NOTE).status(), "nobody reads the note");
  }
}
