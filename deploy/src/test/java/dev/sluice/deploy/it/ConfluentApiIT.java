package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.gateway.auth.ApiKeys;
import dev.sluice.gateway.auth.Authorizer;
import dev.sluice.gateway.auth.RateLimiter;
import dev.sluice.gateway.confluent.ConfluentParts;
import dev.sluice.gateway.confluent.ConfluentRoutes;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaFingerprint;
import dev.sluice.schemas.registry.log.RegistryAdmin;
import dev.sluice.schemas.registry.log.RegistryLog;
import dev.sluice.schemas.registry.log.RegistryLogConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Confluent-compatible registry API of the running gateway, driven with plain HTTP as Confluent's clients call it:
 * registration, lookup, ids, subjects, config, compatibility, Confluent's errors, the same keys as the registry API,
 * topic subjects of streams, and ids that another registry instance reading the same log agrees on. Each test uses
 * types and streams of its own.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class ConfluentApiIT {
  private static final String MEDIA = "application/vnd.schemaregistry.v1+json";
  private static final String ADMIN = "Bearer " + Http.DEV_ADMIN;
  /** BACKWARD allows a longer maxLength (widening) and refuses a shorter one. */
  private static final String V1 = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\",\"maxLength\":10}},"
      + "\"required\":[\"id\"]}";
  private static final String V1_REFORMATTED = "{\n  \"required\": [\"id\"],\n  \"type\": \"object\",\n"
      + "  \"properties\": {\"id\": {\"maxLength\": 10, \"type\": \"string\"}}\n}";
  private static final String WIDER = V1.replace("10", "20");
  private static final String NARROWER = V1.replace("10", "5");

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private record Response(int status, String contentType, String body, HttpResponse<String> raw) {
    JsonObject json() {
      return new JsonObject(body);
    }

    JsonArray array() {
      return new JsonArray(body);
    }
  }

  private Response send(String method, String url, String authorization, String contentType, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body(), r);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String api(Stack stack) {
    return stack.gatewayUrl() + ConfluentRoutes.PREFIX;
  }

  private Response get(String url) {
    return send("GET", url, ADMIN, null, null);
  }

  private Response post(String url, JsonObject body) {
    return send("POST", url, ADMIN, MEDIA, body.encode());
  }

  private Response put(String url, JsonObject body) {
    return send("PUT", url, ADMIN, MEDIA, body.encode());
  }

  private static JsonObject schema(String text) {
    return new JsonObject().put("schema", text).put("schemaType", "JSON");
  }

  private static JsonObject ok(Response r) {
    assertEquals(200, r.status(), r.body());
    assertEquals(MEDIA, r.contentType());
    return r.json();
  }

  /** Confluent's error body: the status, and {@code error_code} as Confluent's clients read it. */
  private static JsonObject error(Response r, int status, int code) {
    assertEquals(status, r.status(), r.body());
    assertEquals(MEDIA, r.contentType());
    JsonObject e = r.json();
    assertEquals(code, e.getInteger("error_code"), r.body());
    assertFalse(e.getString("message").isBlank());
    return e;
  }

  private static String unique(String what) {
    return "it.confluent." + what + "." + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String segment(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------------------------------------- tests

  @Test
  void aJsonSchemaIsRegisteredLookedUpAndReadByIdByLatestAndInTheSubjectList(Stack stack) {
    String type = unique("reg");
    String base = api(stack) + "/subjects/" + type;
    int id = ok(post(base + "/versions", schema(V1))).getInteger("id");
    assertTrue(id > 0);
    // The same schema again, even reformatted: the same id, no new version.
    assertEquals(id, ok(post(base + "/versions", schema(V1_REFORMATTED))).getInteger("id"));
    // Either media type is taken.
    assertEquals(id, ok(send("POST", base + "/versions", ADMIN, "application/json", schema(V1).encode()))
        .getInteger("id"));

    JsonObject found = ok(post(base, schema(V1_REFORMATTED)));
    assertEquals(new JsonObject().put("subject", type).put("version", 1).put("id", id).put("schemaType", "JSON")
        .put("schema", V1), found);
    assertEquals(new JsonObject().put("schema", V1).put("schemaType", "JSON"),
        ok(get(api(stack) + "/schemas/ids/" + id)));
    assertEquals(found, ok(get(base + "/versions/latest")));
    assertEquals(found, ok(get(base + "/versions/-1")));
    assertEquals(found, ok(get(base + "/versions/1")));
    assertEquals(new JsonArray().add(1), new JsonArray(get(base + "/versions").body()));
    assertTrue(new JsonArray(get(api(stack) + "/subjects").body()).contains(type));
    assertEquals(new JsonArray().add(type),
        new JsonArray(get(api(stack) + "/subjects?subjectPrefix=" + segment(type)).body()));
    assertEquals(new JsonArray().add("JSON"), new JsonArray(get(api(stack) + "/schemas/types").body()));

    // It is the registry's own type: the /v1 API sees the version the Confluent API registered.
    Response v1 = get(stack.gatewayUrl() + "/v1/schemas/" + type + "/versions/1");
    assertEquals(200, v1.status(), v1.body());
    assertEquals(SchemaFingerprint.of(V1), v1.json().getString("fingerprint"));
  }

  @Test
  void configIsReadAndSetPerSubjectAndTheGlobalLevelIsFixed(Stack stack) {
    String type = unique("config");
    ok(post(api(stack) + "/subjects/" + type + "/versions", schema(V1)));
    assertEquals(new JsonObject().put("compatibilityLevel", "BACKWARD"), ok(get(api(stack) + "/config")));
    assertEquals(new JsonObject().put("compatibility", "BACKWARD"),
        ok(put(api(stack) + "/config", new JsonObject().put("compatibility", "BACKWARD"))));
    error(put(api(stack) + "/config", new JsonObject().put("compatibility", "FULL")), 422, 42203);

    String config = api(stack) + "/config/" + type;
    assertEquals(new JsonObject().put("compatibilityLevel", "BACKWARD"), ok(get(config)));
    assertEquals(new JsonObject().put("compatibility", "FULL"),
        ok(put(config, new JsonObject().put("compatibility", "FULL"))));
    assertEquals(new JsonObject().put("compatibilityLevel", "FULL"), ok(get(config)));
    // One registry: the /v1 API sees the level.
    assertEquals("FULL", get(stack.gatewayUrl() + "/v1/schemas/" + type + "/config").json()
        .getString("compatibility"));
    error(put(config, new JsonObject().put("compatibility", "SIDEWAYS")), 422, 42203);
    error(put(api(stack) + "/config/" + unique("none"), new JsonObject().put("compatibility", "FULL")), 404, 40401);
  }

  @Test
  void aCompatibleSchemaPassesTheCheckAndRegistersAnIncompatibleOneFailsBothWays(Stack stack) {
    String type = unique("compat");
    String base = api(stack) + "/subjects/" + type;
    int first = ok(post(base + "/versions", schema(V1))).getInteger("id");
    String check = api(stack) + "/compatibility/subjects/" + type + "/versions/latest";

    assertEquals(new JsonObject().put("is_compatible", true), ok(post(check, schema(WIDER))));
    JsonObject refused = ok(post(check + "?verbose=true", schema(NARROWER)));
    assertEquals(false, refused.getBoolean("is_compatible"));
    assertTrue(refused.getJsonArray("messages").encode().contains("/properties/id"), refused.encode());
    // The check appended nothing.
    assertEquals(new JsonArray().add(1), get(base + "/versions").array());

    JsonObject conflict = error(post(base + "/versions", schema(NARROWER)), 409, 409);
    assertTrue(conflict.getString("message").contains("BACKWARD"), conflict.encode());
    int second = ok(post(base + "/versions", schema(WIDER))).getInteger("id");
    assertTrue(second != first);
    assertEquals(2, ok(get(base + "/versions/latest")).getInteger("version"));
    assertEquals(new JsonObject().put("is_compatible", true),
        ok(post(api(stack) + "/compatibility/subjects/" + type + "/versions/1", schema(WIDER))));
  }

  @Test
  void unknownSubjectsVersionsAndIdsAre404AndBadInputIs422InConfluentsFormat(Stack stack) {
    String type = unique("missing");
    error(get(api(stack) + "/subjects/" + type + "/versions"), 404, 40401);
    error(get(api(stack) + "/subjects/" + type + "/versions/latest"), 404, 40401);
    error(get(api(stack) + "/config/" + type), 404, 40401);
    error(post(api(stack) + "/subjects/" + type, schema(V1)), 404, 40401);
    error(post(api(stack) + "/compatibility/subjects/" + type + "/versions/latest", schema(V1)), 404, 40401);

    String known = unique("known");
    ok(post(api(stack) + "/subjects/" + known + "/versions", schema(V1)));
    error(get(api(stack) + "/subjects/" + known + "/versions/99"), 404, 40402);
    error(get(api(stack) + "/subjects/" + known + "/versions/first"), 422, 42202);
    error(post(api(stack) + "/subjects/" + known, schema(WIDER)), 404, 40403);
    error(get(api(stack) + "/schemas/ids/2147483647"), 404, 40403);
    error(get(api(stack) + "/schemas/ids/nope"), 404, 40403);
    error(get(api(stack) + "/no/such/path"), 404, 404);

    // JSON only: Avro and Protobuf, and no schemaType at all (Confluent's default is AVRO), are invalid schemas.
    JsonObject avro = new JsonObject().put("schema", "{\"type\":\"record\",\"name\":\"r\",\"fields\":[]}");
    error(post(api(stack) + "/subjects/" + known + "/versions", avro), 422, 42201);
    error(post(api(stack) + "/subjects/" + known + "/versions", avro.copy().put("schemaType", "AVRO")), 422, 42201);
    error(post(api(stack) + "/subjects/" + known + "/versions",
        new JsonObject().put("schema", "syntax = \"proto3\";").put("schemaType", "PROTOBUF")), 422, 42201);
    // A schema the registry's own rules refuse: a remote $ref.
    error(post(api(stack) + "/subjects/" + known + "/versions",
        schema("{\"$ref\":\"http://example.invalid/s.json\"}")), 422, 42201);
    error(send("POST", api(stack) + "/subjects/" + known + "/versions", ADMIN, "text/plain", schema(V1).encode()),
        415, 415);
  }

  @Test
  void theRegistryApisKeysAndRolesAnswerInConfluentsFormat(Stack stack) {
    String url = api(stack) + "/subjects";
    Response none = send("GET", url, null, null, null);
    error(none, 401, 40101);
    assertTrue(none.raw().headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    error(send("GET", url, "Bearer not-a-key-we-know", null, null), 401, 40101);
    // Any key reads; only admin keys write.
    String producer = "Bearer " + Http.DEV_PRODUCER;
    assertEquals(200, send("GET", url, producer, null, null).status());
    String type = unique("auth");
    error(send("POST", url + "/" + type + "/versions", producer, MEDIA, schema(V1).encode()), 403, 40301);
    error(send("PUT", api(stack) + "/config/" + type, producer, MEDIA,
        new JsonObject().put("compatibility", "NONE").encode()), 403, 40301);
    // HTTP Basic, as Confluent's basic.auth.user.info sends it: the password is the API key.
    String basic = "Basic " + Base64.getEncoder().encodeToString(("anyone:" + Http.DEV_ADMIN)
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(200, send("POST", url + "/" + type + "/versions", basic, MEDIA, schema(V1).encode()).status());
    String wrongBasic = "Basic " + Base64.getEncoder().encodeToString("anyone:nope".getBytes(StandardCharsets.UTF_8));
    error(send("GET", url, wrongBasic, null, null), 401, 40101);
  }

  @Test
  void aTopicSubjectIsItsStreamsTypeAndSeveralTypesOnlyFindWhatTheyHave(Stack stack) {
    String one = unique("topic.one");
    String two = unique("topic.two");
    int id = ok(post(api(stack) + "/subjects/" + one + "/versions", schema(V1))).getInteger("id");
    ok(post(api(stack) + "/subjects/" + two + "/versions", schema(WIDER)));

    String single = "it-confluent-single-" + UUID.randomUUID().toString().substring(0, 8);
    putStream(stack, single, List.of(one));
    String subject = api(stack) + "/subjects/" + single + "-value";
    JsonObject latest = ok(get(subject + "/versions/latest"));
    assertEquals(single + "-value", latest.getString("subject"));
    assertEquals(id, latest.getInteger("id"));
    assertTrue(get(api(stack) + "/subjects").array().contains(single + "-value"));
    // Registering under the topic subject registers a version of the stream's type.
    int wider = ok(post(subject + "/versions", schema(WIDER))).getInteger("id");
    assertEquals(new JsonArray().add(1).add(2), get(api(stack) + "/subjects/" + one + "/versions").array());
    assertEquals(wider, ok(get(api(stack) + "/subjects/" + one + "/versions/2")).getInteger("id"));
    error(get(api(stack) + "/subjects/" + single + "-key/versions"), 404, 40401);

    String mixed = "it-confluent-mixed-" + UUID.randomUUID().toString().substring(0, 8);
    putStream(stack, mixed, List.of(one, two));
    String both = api(stack) + "/subjects/" + mixed + "-value";
    assertFalse(get(api(stack) + "/subjects").array().contains(mixed + "-value"));
    error(get(both + "/versions"), 404, 40401);
    // A schema one of its types has is found (so a serializer with auto-registration works), a new one is refused.
    assertEquals(id, ok(post(both, schema(V1))).getInteger("id"));
    assertEquals(id, ok(post(both + "/versions", schema(V1))).getInteger("id"));
    JsonObject refused = error(post(both + "/versions", schema(V1.replace("10", "30"))), 422, 42201);
    assertTrue(refused.getString("message").contains("several types"), refused.encode());
    // A topic no stream writes to has no subject, even to register.
    error(post(api(stack) + "/subjects/no-such-topic-" + UUID.randomUUID() + "-value/versions", schema(V1)), 404,
        40401);
  }

  @Test
  void anotherRegistryInstanceReadingTheSameLogAnswersTheSameIds(Stack stack) throws Exception {
    String type = unique("ids");
    int id = ok(post(api(stack) + "/subjects/" + type + "/versions", schema(V1))).getInteger("id");
    int wider = ok(post(api(stack) + "/subjects/" + type + "/versions", schema(WIDER))).getInteger("id");

    // A second instance, as a restarted or another gateway replica: it reads the registry log from the start (and
    // bootstraps nothing), and serves the Confluent API over what it read.
    RegistryLog log = new RegistryLog(RegistryLogConfig.defaults(), stack.kafkaProps());
    Vertx vertx = Vertx.vertx();
    try {
      log.start(new StreamCatalog(List.of()));
      Router router = Router.router(vertx);
      ConfluentRoutes.mount(router, vertx, new ConfluentParts(log.registry(), new RegistryAdmin(log),
          new Authorizer(ApiKeys.dev(), new RateLimiter(System::nanoTime)), 65536, new SimpleMeterRegistry()));
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      String other = "http://127.0.0.1:" + server.actualPort() + ConfluentRoutes.PREFIX;

      assertEquals(id, ok(get(other + "/subjects/" + type + "/versions/1")).getInteger("id"));
      assertEquals(wider, ok(get(other + "/subjects/" + type + "/versions/latest")).getInteger("id"));
      assertEquals(ok(get(api(stack) + "/schemas/ids/" + id)), ok(get(other + "/schemas/ids/" + id)));
      assertEquals(ok(get(api(stack) + "/schemas/ids/" + wider)), ok(get(other + "/schemas/ids/" + wider)));
      // Every id the gateway knows, the other instance gives the same way (the bootstrap schemas included).
      for (Object s : get(api(stack) + "/subjects").array()) {
        String subject = segment((String) s);
        assertEquals(ok(get(api(stack) + "/subjects/" + subject + "/versions/latest")),
            ok(get(other + "/subjects/" + subject + "/versions/latest")), subject);
      }
      // A registration through the other instance is seen by the gateway under the same id.
      int third = ok(post(other + "/subjects/" + type + "/versions", schema(V1.replace("10", "40")))).getInteger("id");
      // The gateway follows the log on its own reader thread: it has the record a moment later.
      Response seen = Eventually.await("the gateway reads version 3", Duration.ofSeconds(10), () -> {
        Response r = get(api(stack) + "/subjects/" + type + "/versions/3");
        return r.status() == 200 ? Optional.of(r) : Optional.empty();
      });
      assertEquals(third, ok(seen).getInteger("id"));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      log.close();
    }
  }

  private void putStream(Stack stack, String name, List<String> types) {
    JsonArray bindings = new JsonArray();
    types.forEach(t -> bindings.add(new JsonObject().put("type", t).put("partitionKey", "/id")));
    Response r = send("PUT", stack.gatewayUrl() + "/v1/streams/" + name, ADMIN, "application/json",
        new JsonObject().put("topic", name).put("partitions", 1).put("types", bindings).encode());
    assertEquals(201, r.status(), r.body());
  }
}
