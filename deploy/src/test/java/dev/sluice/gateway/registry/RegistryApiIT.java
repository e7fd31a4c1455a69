package dev.sluice.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaFingerprint;
import dev.sluice.schemas.registry.log.RegistryAdmin;
import dev.sluice.schemas.registry.log.RegistryLog;
import dev.sluice.schemas.registry.log.RegistryLogConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The registry API over HTTP, on a Vert.x server with {@link RegistryRoutes} over a registry kept in a real Kafka
 * topic (one topic for this class). Tests that change the registry use their own type and stream names.
 */
@ExtendWith(EnginesExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryApiIT {
  private static final String PRODUCT = "retail.product.created";
  private static final long MAX_BODY = 64 * 1024;
  private static final String ADMIN_KEY = "Bearer dev-admin";

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Vertx vertx;
  private RegistryLog log;
  private PrometheusMeterRegistry meters;
  private HttpServer server;
  private String base;
  private Map<String, Object> kafkaProps;
  private String topic;

  @BeforeAll
  void start(Engines engines) throws Exception {
    topic = "_sluice_registry_api_it_" + UUID.randomUUID().toString().substring(0, 8);
    kafkaProps = Map.of("bootstrap.servers", engines.bootstrapServers());
    log = new RegistryLog(RegistryLogConfig.defaults().withTopic(topic),
        Map.of("bootstrap.servers", engines.bootstrapServers()));
    log.start(StreamCatalog.loadDefault());
    vertx = Vertx.vertx();
    meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Router router = Router.router(vertx);
    RegistryRoutes.mount(router, vertx, log.registry(), new RegistryAdmin(log), MAX_BODY, meters);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + server.actualPort();
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

  // ------------------------------------------------------------------------------------------------- client

  private record Response(int status, String contentType, Optional<String> location, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    boolean isProblem() {
      return contentType.startsWith("application/problem+json");
    }

    String problemType() {
      return json().getString("type").replace("https://sluice.dev/problems/", "");
    }
  }

  private Response send(String method, String path, String contentType, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", ADMIN_KEY)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""),
          r.headers().firstValue("location"), r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Response get(String path) {
    return send("GET", path, null, null);
  }

  private Response post(String path, String json) {
    return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  private Response put(String path, String json) {
    return send("PUT", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  private static String uniqueType(String what) {
    return "it." + what + "." + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void assertProblem(Response r, int status, String type) {
    assertEquals(status, r.status(), r.body());
    assertTrue(r.isProblem(), r.contentType());
    assertEquals(type, r.problemType(), r.body());
    assertEquals(status, r.json().getInteger("status"));
  }

  private long registryEndOffset() throws Exception {
    try (Admin admin = Admin.create(kafkaProps)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(10, TimeUnit.SECONDS)
          .offset();
    }
  }

  private static final String OBJECT_WITH_ID = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}}}";

  // ------------------------------------------------------------------------------------------------- reads

  @Test
  void theTypesAreListedWithLatestVersionAndCompatibility() {
    Response r = get("/v1/schemas");
    assertEquals(200, r.status());
    assertTrue(r.contentType().startsWith("application/json"));
    JsonArray types = r.json().getJsonArray("types");
    JsonObject product = types.stream().map(JsonObject.class::cast)
        .filter(t -> t.getString("type").equals(PRODUCT)).findFirst().orElseThrow();
    assertEquals(new JsonObject().put("type", PRODUCT).put("latestVersion", 1).put("compatibility", "BACKWARD"),
        product);
  }

  @Test
  void aTypesVersionsAreListed() {
    Response r = get("/v1/schemas/" + PRODUCT + "/versions");
    assertEquals(200, r.status());
    assertEquals(new JsonObject().put("type", PRODUCT).put("versions", new JsonArray().add(1)), r.json());
    assertProblem(get("/v1/schemas/no.such.type/versions"), 404, "unknown-type");
  }

  @Test
  void oneVersionIsReadByNumberOrAsLatest() {
    String file = StreamCatalog.readResource("sluice/schemas/" + PRODUCT + ".json");
    for (String v : List.of("1", "latest")) {
      Response r = get("/v1/schemas/" + PRODUCT + "/versions/" + v);
      assertEquals(200, r.status(), r.body());
      JsonObject body = r.json();
      assertEquals(PRODUCT, body.getString("type"));
      assertEquals(1, body.getInteger("version"));
      assertEquals(SchemaFingerprint.of(file), body.getString("fingerprint"));
      assertEquals(new JsonObject(file), body.getJsonObject("schema"));
    }
    assertProblem(get("/v1/schemas/" + PRODUCT + "/versions/9"), 404, "unknown-version");
    assertProblem(get("/v1/schemas/" + PRODUCT + "/versions/first"), 400, "invalid-version");
    assertProblem(get("/v1/schemas/no.such.type/versions/1"), 404, "unknown-type");
  }

  // ------------------------------------------------------------------------------------------ registration

  @Test
  void registeringCreatesVersionsAndTheSameSchemaAgainIsTheExistingOne() {
    String type = uniqueType("reg");
    Response created = post("/v1/schemas/" + type + "/versions", OBJECT_WITH_ID);
    assertEquals(201, created.status(), created.body());
    // No consumer group declared reads of it: the answer says it affects no one.
    assertEquals(new JsonObject().put("type", type).put("version", 1).put("affects", new JsonArray()),
        created.json());
    assertEquals(Optional.of("/v1/schemas/" + type + "/versions/1"), created.location());

    // Same schema, other member order and whitespace: the same fingerprint.
    Response again = post("/v1/schemas/" + type + "/versions",
        "{ \"properties\": { \"id\": { \"type\": \"string\" } }, \"type\": \"object\" }");
    assertEquals(200, again.status(), again.body());
    assertEquals(new JsonObject().put("type", type).put("version", 1).put("affects", new JsonArray()),
        again.json());

    // An unconstrained new property: compatible under BACKWARD even though the object is open.
    Response v2 = post("/v1/schemas/" + type + "/versions",
        "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},\"note\":{}}}");
    assertEquals(201, v2.status(), v2.body());
    assertEquals(2, v2.json().getInteger("version"));
    assertEquals(new JsonArray().add(1).add(2), get("/v1/schemas/" + type + "/versions").json()
        .getJsonArray("versions"));
    assertEquals(2, get("/v1/schemas/" + type + "/versions/latest").json().getInteger("version"));
  }

  @Test
  void badRegistrationBodiesAreRefused() {
    String path = "/v1/schemas/" + uniqueType("bad") + "/versions";
    assertProblem(post(path, "{\"type\":"), 400, "malformed-json");
    assertProblem(post(path, "{\"type\":\"object\"} trailing"), 400, "malformed-json");
    assertProblem(post(path, "{\"type\":\"object\",\"type\":\"string\"}"), 400, "malformed-json");
    assertProblem(post(path, "{\"a\":".repeat(300) + "1" + "}".repeat(300)), 400, "malformed-json");
    assertProblem(send("POST", path, "text/plain", OBJECT_WITH_ID.getBytes(StandardCharsets.UTF_8)), 415,
        "unsupported-media-type");
    assertProblem(send("POST", path, null, OBJECT_WITH_ID.getBytes(StandardCharsets.UTF_8)), 415,
        "unsupported-media-type");
    String huge = "{\"description\":\"" + "x".repeat((int) MAX_BODY) + "\"}";
    assertProblem(post(path, huge), 413, "payload-too-large");
    assertProblem(get(path), 404, "unknown-type");
  }

  @Test
  void aRemoteRefIsRefusedWith422() {
    Response r = post("/v1/schemas/" + uniqueType("remote") + "/versions",
        "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"http://127.0.0.1:1/evil.json\"}}}");
    assertProblem(r, 422, "schema-refused");
    JsonArray violations = r.json().getJsonArray("violations");
    assertFalse(violations.isEmpty());
    JsonObject v = violations.getJsonObject(0);
    assertEquals("/properties/a/$ref", v.getString("pointer"), v.encode());
    assertEquals("remote-ref", v.getString("keyword"), v.encode());
    assertFalse(v.getString("message").isBlank());
  }

  @Test
  void documentsThatAreNotSchemasAreRefusedWith422() {
    String path = "/v1/schemas/" + uniqueType("notschema") + "/versions";
    assertProblem(post(path, "[1,2]"), 422, "schema-refused");
    assertProblem(post(path, "{\"type\":5}"), 422, "schema-refused");
  }

  // ----------------------------------------------------------------------------------------- compatibility

  /** Registers {@code v1} for a new type, then posts {@code v2}; returns the answer to v2. */
  private Response evolve(String what, String level, String v1, String v2) {
    String type = uniqueType(what);
    assertEquals(201, post("/v1/schemas/" + type + "/versions", v1).status());
    if (level != null) {
      assertEquals(200, put("/v1/schemas/" + type + "/config", "{\"compatibility\":\"" + level + "\"}").status());
    }
    return post("/v1/schemas/" + type + "/versions", v2);
  }

  /** A 409 naming each breaking change, {@code rule} (at {@code pointer}) among them. */
  private static void assertIncompatible(Response r, String level, String rule, String pointer) {
    assertProblem(r, 409, "incompatible-schema");
    JsonObject body = r.json();
    assertEquals(level, body.getString("compatibility"));
    assertTrue(body.getJsonArray("changes").stream().map(JsonObject.class::cast)
        .anyMatch(c -> c.getString("rule").equals(rule) && c.getString("pointer").equals(pointer)), body.encode());
    JsonArray changes = body.getJsonArray("changes");
    assertFalse(changes.isEmpty(), body.encode());
    for (Object o : changes) {
      JsonObject c = (JsonObject) o;
      assertFalse(c.getString("pointer") == null || c.getString("rule").isBlank() || c.getString("message").isBlank(),
          c.encode());
      assertTrue(body.getString("detail").contains(c.getString("message")), body.getString("detail"));
    }
  }

  private static String props(String properties) {
    return "{\"type\":\"object\",\"properties\":{" + properties + "}}";
  }

  @Test
  void backwardIsTheDefault() {
    String type = uniqueType("default");
    assertEquals(201, post("/v1/schemas/" + type + "/versions", OBJECT_WITH_ID).status());
    assertEquals(new JsonObject().put("type", type).put("compatibility", "BACKWARD"),
        get("/v1/schemas/" + type + "/config").json());
    assertIncompatible(post("/v1/schemas/" + type + "/versions",
        "{\"type\":\"object\",\"required\":[\"id\"],\"properties\":{\"id\":{\"type\":\"string\"}}}"),
        "BACKWARD", "required-added", "/required");
  }

  @Test
  void aNewRequiredPropertyIsRefused() {
    assertIncompatible(evolve("required", null, props("\"price\":{\"type\":\"number\"}"),
        "{\"type\":\"object\",\"required\":[\"price\"],\"properties\":{\"price\":{\"type\":\"number\"}}}"),
        "BACKWARD", "required-added", "/required");
  }

  @Test
  void aNarrowedTypeIsRefused() {
    assertIncompatible(evolve("type", null, props("\"id\":{\"type\":\"string\"}"),
        props("\"id\":{\"type\":\"integer\"}")), "BACKWARD", "type-narrowed", "/properties/id/type");
  }

  @Test
  void aRemovedEnumValueIsRefused() {
    assertIncompatible(evolve("enum", null, props("\"color\":{\"enum\":[\"red\",\"green\"]}"),
        props("\"color\":{\"enum\":[\"red\"]}")), "BACKWARD", "enum-value-removed", "/properties/color/enum");
  }

  @Test
  void closingAdditionalPropertiesIsRefused() {
    assertIncompatible(evolve("additional", null, props("\"id\":{\"type\":\"string\"}"),
        "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"id\":{\"type\":\"string\"}}}"),
        "BACKWARD", "additional-properties-closed", "/additionalProperties");
  }

  @Test
  void aTighterNumericBoundIsRefused() {
    assertIncompatible(evolve("numeric", null, props("\"price\":{\"type\":\"number\",\"minimum\":0}"),
        props("\"price\":{\"type\":\"number\",\"minimum\":10}")), "BACKWARD", "minimum-raised", "/properties/price/minimum");
  }

  @Test
  void aTighterLengthBoundIsRefused() {
    assertIncompatible(evolve("length", null, props("\"name\":{\"type\":\"string\",\"maxLength\":100}"),
        props("\"name\":{\"type\":\"string\",\"maxLength\":10}")), "BACKWARD", "maxLength-lowered", "/properties/name/maxLength");
  }

  @Test
  void aBreakingChangeBehindALocalRefIsRefused() {
    String v1 = "{\"type\":\"object\",\"definitions\":{\"code\":{\"type\":\"string\"}},"
        + "\"properties\":{\"code\":{\"$ref\":\"#/definitions/code\"}}}";
    String v2 = "{\"type\":\"object\",\"definitions\":{\"code\":{\"type\":\"integer\"}},"
        + "\"properties\":{\"code\":{\"$ref\":\"#/definitions/code\"}}}";
    assertIncompatible(evolve("ref", null, v1, v2), "BACKWARD", "type-narrowed", "/definitions/code/type");
  }

  @Test
  void forwardRefusesWhatOldReadersCannotRead() {
    String v1 = "{\"type\":\"object\",\"required\":[\"id\"],\"properties\":{\"id\":{\"type\":\"string\"}}}";
    assertIncompatible(evolve("forward", "FORWARD", v1, OBJECT_WITH_ID), "FORWARD", "required-added", "/required");
  }

  @Test
  void noneAcceptsAnyChange() {
    Response r = evolve("none", "NONE", props("\"id\":{\"type\":\"string\"}"), props("\"id\":{\"type\":\"integer\"}"));
    assertEquals(201, r.status(), r.body());
    assertEquals(2, r.json().getInteger("version"));
  }

  @Test
  void compatibilityIsReadAndSet() {
    String type = uniqueType("config");
    String path = "/v1/schemas/" + type + "/config";
    assertProblem(get(path), 404, "unknown-type");
    assertProblem(put(path, "{\"compatibility\":\"FULL\"}"), 404, "unknown-type");
    assertEquals(201, post("/v1/schemas/" + type + "/versions", OBJECT_WITH_ID).status());
    for (String level : List.of("BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE",
        "NONE", "BACKWARD")) {
      Response r = put(path, "{\"compatibility\":\"" + level + "\"}");
      assertEquals(200, r.status(), r.body());
      assertEquals(new JsonObject().put("type", type).put("compatibility", level), r.json());
      assertEquals(level, get(path).json().getString("compatibility"));
    }
    Response bad = put(path, "{\"compatibility\":\"SOMETIMES\"}");
    assertProblem(bad, 422, "invalid-body");
    assertEquals("/compatibility", bad.json().getJsonArray("violations").getJsonObject(0).getString("pointer"));
    assertProblem(put(path, "{\"compatibility\":"), 400, "malformed-json");
    assertProblem(send("PUT", path, "text/plain", "{}".getBytes(StandardCharsets.UTF_8)), 415,
        "unsupported-media-type");
  }

  // -------------------------------------------------------------------------------------------- validation

  @Test
  void documentsAreValidatedAgainstAVersionAndNothingIsAppended() throws Exception {
    long before = registryEndOffset();
    String path = "/v1/schemas/" + PRODUCT + "/versions/";
    Response ok = post(path + "1/validate",
        "{\"id\":\"p1\",\"brand\":\"Acme\",\"name\":\"Anvil\",\"category\":\"tools\",\"price\":12.5}");
    assertEquals(200, ok.status(), ok.body());
    assertEquals(true, ok.json().getBoolean("valid"));
    assertEquals(1, ok.json().getInteger("version"));
    assertEquals(new JsonArray(), ok.json().getJsonArray("violations"));

    Response bad = post(path + "latest/validate", "{\"id\":\"p1\",\"brand\":\"Acme\",\"name\":\"Anvil\",\"price\":0}");
    assertEquals(200, bad.status(), bad.body());
    assertEquals(false, bad.json().getBoolean("valid"));
    assertEquals(1, bad.json().getInteger("version"));
    JsonArray violations = bad.json().getJsonArray("violations");
    assertEquals(2, violations.size(), violations.encode());
    JsonObject price = violations.stream().map(JsonObject.class::cast)
        .filter(v -> v.getString("pointer").equals("/data/price")).findFirst().orElseThrow();
    assertEquals("exclusiveMinimum", price.getString("keyword"));
    assertTrue(violations.stream().map(JsonObject.class::cast)
        .anyMatch(v -> v.getString("pointer").equals("/data/category") && v.getString("keyword").equals("required")));

    assertProblem(post(path + "1/validate", "{\"id\":"), 400, "malformed-json");
    assertProblem(send("POST", path + "1/validate", "text/plain", "{}".getBytes(StandardCharsets.UTF_8)), 415,
        "unsupported-media-type");
    assertProblem(post(path + "7/validate", "{}"), 404, "unknown-version");
    assertProblem(post("/v1/schemas/no.such.type/versions/1/validate", "{}"), 404, "unknown-type");
    assertEquals(before, registryEndOffset(), "validation appends nothing");
  }

  // ------------------------------------------------------------------------------------------------ streams

  @Test
  void streamsAreListedAndReadInTheCatalogForm() {
    Response list = get("/v1/streams");
    assertEquals(200, list.status());
    JsonObject retail = list.json().getJsonArray("streams").stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("name").equals("retail")).findFirst().orElseThrow();
    JsonObject expected = new JsonObject(StreamCatalog.toJson(
        StreamCatalog.loadDefault().stream("retail").orElseThrow()).toString());
    assertEquals(expected, retail);
    Response one = get("/v1/streams/retail");
    assertEquals(200, one.status());
    assertEquals(expected, one.json());
    assertEquals(3, one.json().getInteger("partitions"));
    assertEquals("KEY_ORDERED", one.json().getString("ordering"));
    assertProblem(get("/v1/streams/no-such-stream"), 404, "unknown-stream");
  }

  @Test
  void streamsAreCreatedReplacedAndGuarded() {
    String name = "it-orders-" + UUID.randomUUID().toString().substring(0, 8);
    String path = "/v1/streams/" + name;
    String def = "{\"topic\":\"" + name + "\",\"partitions\":3,\"ordering\":\"UNORDERED\",\"types\":["
        + "{\"type\":\"" + PRODUCT + "\",\"partitionKey\":\"/id\"}]}";
    Response created = put(path, def);
    assertEquals(201, created.status(), created.body());
    assertEquals(Optional.of(path), created.location());
    assertEquals(name, created.json().getString("name"));
    assertEquals(created.json(), get(path).json());

    Response same = put(path, new JsonObject(def).put("name", name).encode());
    assertEquals(200, same.status(), same.body());

    Response grown = put(path, new JsonObject(def).put("partitions", 6).encode());
    assertEquals(200, grown.status(), grown.body());
    assertEquals(6, get(path).json().getInteger("partitions"));

    Response shrink = put(path, new JsonObject(def).put("partitions", 2).encode());
    assertProblem(shrink, 409, "stream-conflict");
    assertEquals("/partitions", shrink.json().getJsonArray("violations").getJsonObject(0).getString("pointer"));

    Response moved = put(path, new JsonObject(def).put("partitions", 6).put("topic", name + "-v2").encode());
    assertProblem(moved, 409, "stream-conflict");
    assertEquals("/topic", moved.json().getJsonArray("violations").getJsonObject(0).getString("pointer"));

    // The unregistered type is second in the body: the pointer says so, whatever the canonical order.
    Response unregistered = put(path, "{\"topic\":\"" + name + "\",\"partitions\":6,\"types\":["
        + "{\"type\":\"" + PRODUCT + "\",\"partitionKey\":\"/id\"},{\"type\":\"a.unregistered\",\"partitionKey\":\"/id\"}]}");
    assertProblem(unregistered, 422, "stream-refused");
    assertEquals("/types/1/type", unregistered.json().getJsonArray("violations").getJsonObject(0).getString("pointer"));

    Response badKey = put(path, new JsonObject(def).put("partitions", 6).put("types", new JsonArray().add(
        new JsonObject().put("type", PRODUCT).put("partitionKey", "/nope"))).encode());
    assertProblem(badKey, 422, "stream-refused");
    assertEquals("/types/0/partitionKey", badKey.json().getJsonArray("violations").getJsonObject(0).getString("pointer"));

    Response otherName = put(path, new JsonObject(def).put("name", "other").encode());
    assertProblem(otherName, 422, "invalid-body");
    assertEquals("/name", otherName.json().getJsonArray("violations").getJsonObject(0).getString("pointer"));

    assertProblem(put(path, "{\"types\":"), 400, "malformed-json");
    assertProblem(send("PUT", path, "text/plain", def.getBytes(StandardCharsets.UTF_8)), 415,
        "unsupported-media-type");
    assertEquals(6, get(path).json().getInteger("partitions"), "refused changes changed nothing");
  }

  // ------------------------------------------------------------------------------------------------ metrics

  @Test
  void successfulChangesAreCounted() {
    String type = uniqueType("metric");
    double before = changes("schema");
    assertEquals(201, post("/v1/schemas/" + type + "/versions", OBJECT_WITH_ID).status());
    assertEquals(200, post("/v1/schemas/" + type + "/versions", OBJECT_WITH_ID).status());
    assertEquals(before + 1, changes("schema"), "an existing schema is not a change");
    double compat = changes("compatibility");
    assertEquals(200, put("/v1/schemas/" + type + "/config", "{\"compatibility\":\"FULL\"}").status());
    assertEquals(compat + 1, changes("compatibility"));
    assertTrue(meters.scrape().contains("sluice_registry_changes_total{kind=\"stream\"}"), meters.scrape());
  }

  private double changes(String kind) {
    return meters.get(RegistryRoutes.CHANGES).tag("kind", kind).counter().count();
  }
}
