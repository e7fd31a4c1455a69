package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.auth.SensitiveFields;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.groups.GroupHeartbeat;
import dev.sluice.quarantine.groups.GroupRegistry;
import dev.sluice.quarantine.groups.Heartbeater;
import dev.sluice.quarantine.groups.StreamOutcomes;
import dev.sluice.schemas.contracts.ReadContract;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stream catalog against the whole stack: a stream made over the registry API with its label, a type of its own
 * with two schema versions, and the demo's photographer type (its name and email marked sensitive, sealed on the
 * ledger). Its page lists the versions and their changes, the events just posted among the samples (a viewer never
 * sees a marked value, an operator sees it sealed, never opened), and a plain Kafka consumer group with committed
 * offsets, which heartbeats nothing, as a reader that is not wrapped, with its lag. What groups declare they read shows
 * per type and field, with each group's owner and contact, to any signed-in role. The API keys that posted to a stream
 * are named on its page with their counts, from the gateway's reports ("producers seen").
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(120)
class CatalogIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PHOTOGRAPHER = "retail.photographer.registered";
  private final Http operator = Http.operator();
  private final Http viewer = Http.viewer();
  private final Http producer = Http.producer();

  private static String token() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  private static HttpResponse<String> send(Stack stack, String method, String path, String json) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path))
            .header("Authorization", "Bearer " + Http.DEV_ADMIN).header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60)).method(method, HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void registered(Stack stack, String type, String schema) throws Exception {
    HttpResponse<String> r = send(stack, "POST", "/v1/schemas/" + type + "/versions", schema);
    assertEquals(201, r.statusCode(), r.body());
  }

  private void post(Stack stack, String stream, String type, JsonObject data) {
    Http.Response r = producer.post(stack.gatewayUrl() + "/v1/streams/" + stream + "/events",
        "application/cloudevents+json", new JsonObject().put("specversion", "1.0")
            .put("id", UUID.randomUUID().toString()).put("source", "/it/catalog").put("type", type).put("data", data)
            .encode());
    assertEquals(202, r.status(), r.body());
  }

  private JsonObject page(Http who, Stack stack, String stream) {
    Http.Response r = who.get(stack.consoleUrl() + "/api/v1/catalog/streams/" + stream);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static Stream<JsonObject> objects(JsonArray a) {
    return a.stream().map(JsonObject.class::cast);
  }

  /** A stream of its own with a label, the type {@code type} (two versions) and the demo's photographer type. */
  static String streamWithTwoVersions(Stack stack, String type) throws Exception {
    String stream = "it-catalog-" + token();
    registered(stack, type, "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}},"
        + "\"required\":[\"id\"]}");
    registered(stack, type, "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},"
        + "\"note\":{\"description\":\"free text\"}},\"required\":[\"id\"]}");
    JsonObject def = new JsonObject().put("topic", stream).put("partitions", 1).put("ordering", "KEY_ORDERED")
        .put("owner", "team-catalog").put("contact", "#catalog").put("description", "Orders, as placed.")
        .put("stalenessObjective", "PT5M")
        .put("types", new JsonArray()
            .add(new JsonObject().put("type", type).put("partitionKey", "/id"))
            .add(new JsonObject().put("type", PHOTOGRAPHER).put("partitionKey", "/id")));
    HttpResponse<String> put = send(stack, "PUT", "/v1/streams/" + stream, def.encode());
    assertEquals(201, put.statusCode(), put.body());
    return stream;
  }

  @Test
  void aStreamsPageShowsItsLabelVersionsChangesSamplesAndReaders(Stack stack) throws Exception {
    String type = "it.catalog." + token() + ".placed";
    String stream = streamWithTwoVersions(stack, type);
    String orderId = "o-" + token();
    String secret = token();
    String photographerId = "ph-" + token();
    String email = "ann." + secret + "@example.com";
    String name = "Ann " + secret;
    post(stack, stream, type, new JsonObject().put("id", orderId).put("note", "first"));
    post(stack, stream, PHOTOGRAPHER, new JsonObject().put("id", photographerId).put("name", name)
        .put("email", email));

    // The console reads the registry's log: the stream shows up there once it has read the PUT.
    JsonObject listed = Eventually.await("the stream in the catalog list", WAIT, () -> objects(
        viewer.get(stack.consoleUrl() + "/api/v1/catalog/streams").json().getJsonArray("streams"))
        .filter(s -> stream.equals(s.getString("name"))).findFirst());
    assertEquals("team-catalog", listed.getString("owner"));
    assertEquals("#catalog", listed.getString("contact"));
    assertEquals("Orders, as placed.", listed.getString("description"));
    assertEquals("PT5M", listed.getString("stalenessObjective"));
    assertEquals(stream, listed.getString("topic"));
    assertEquals(1, listed.getInteger("partitions"));
    assertEquals("KEY_ORDERED", listed.getString("ordering"));
    assertEquals(0, listed.getInteger("groupsReading"), "no wrapped group reads a stream made just now");
    assertEquals(2, objects(listed.getJsonArray("types")).filter(t -> type.equals(t.getString("type")))
        .findFirst().orElseThrow().getInteger("latestVersion"));

    // Both events among the samples, as the operator sees them: the marked values sealed, never opened.
    JsonObject asOperator = Eventually.await("both events among the samples", WAIT, () -> Optional.of(
        page(operator, stack, stream)).filter(p -> p.getJsonArray("samples").size() == 2));
    assertTrue(asOperator.getJsonArray("notes").isEmpty(), asOperator.encode());
    JsonObject order = objects(asOperator.getJsonArray("samples")).filter(s -> type.equals(s.getString("type")))
        .findFirst().orElseThrow();
    assertEquals(new JsonObject().put("id", orderId).put("note", "first"), order.getJsonObject("data"));
    assertEquals(2, order.getInteger("schemaVersion"), "validated against the latest version");
    JsonObject sealed = objects(asOperator.getJsonArray("samples"))
        .filter(s -> PHOTOGRAPHER.equals(s.getString("type"))).findFirst().orElseThrow();
    assertTrue(sealed.getJsonObject("data").getString("email").startsWith("sluice:v1:"), sealed.encode());
    assertTrue(sealed.getJsonObject("data").getString("name").startsWith("sluice:v1:"), sealed.encode());
    assertEquals(new JsonArray().add("/email").add("/name"), sealed.getJsonArray("sealed"));
    assertFalse(asOperator.encode().contains(secret), "nothing opened for the operator either");

    // The viewer sees the same samples with the marked values masked: not the value, not its ciphertext.
    JsonObject asViewer = page(viewer, stack, stream);
    JsonObject masked = objects(asViewer.getJsonArray("samples"))
        .filter(s -> PHOTOGRAPHER.equals(s.getString("type"))).findFirst().orElseThrow();
    assertEquals(SensitiveFields.MASK, masked.getJsonObject("data").getString("email"));
    assertEquals(SensitiveFields.MASK, masked.getJsonObject("data").getString("name"));
    assertEquals(photographerId, masked.getJsonObject("data").getString("id"));
    assertFalse(asViewer.encode().contains(secret), asViewer.encode());
    assertFalse(asViewer.encode().contains("sluice:v1:"), "no ciphertext for a viewer: " + asViewer.encode());

    // The registry's part: both versions, their schemas and fingerprints, the change between them.
    JsonObject t = objects(asViewer.getJsonArray("types")).filter(x -> type.equals(x.getString("type")))
        .findFirst().orElseThrow();
    assertEquals("BACKWARD", t.getString("compatibility"));
    assertEquals(2, t.getJsonArray("versions").size());
    assertEquals("free text", t.getJsonArray("versions").getJsonObject(1).getJsonObject("schema")
        .getJsonObject("properties").getJsonObject("note").getString("description"));
    assertEquals(64, t.getJsonArray("versions").getJsonObject(0).getString("fingerprint").length());
    JsonObject change = t.getJsonArray("changes").getJsonObject(0);
    assertEquals(new JsonObject().put("op", "added").put("pointer", "/properties/note")
        .put("after", new JsonObject().put("description", "free text")), change.getJsonArray("lines").getJsonObject(0));
    assertTrue(change.getJsonArray("backward").isEmpty(), "an unconstrained member is compatible: " + change.encode());
    assertTrue(change.getJsonArray("forward").isEmpty(), change.encode());
  }

  @Test
  void aPlainConsumerGroupWithCommittedOffsetsIsAReaderThatIsNotWrapped(Stack stack) throws Exception {
    String type = "it.catalog." + token() + ".placed";
    String stream = streamWithTwoVersions(stack, type);
    for (int i = 0; i < 3; i++) {
      post(stack, stream, type, new JsonObject().put("id", "o-" + i));
    }
    String group = "it-plain-" + token();
    Map<String, Object> props = new HashMap<>(stack.kafkaProps());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Read one event and commit past it: two are left, which is the group's lag.
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(stream, 0);
      consumer.assign(List.of(tp));
      consumer.commitSync(Map.of(tp, new OffsetAndMetadata(1)));
    }
    JsonObject reader = Eventually.await("the plain group among the readers with its lag", WAIT, () -> objects(
        page(viewer, stack, stream).getJsonArray("groups")).filter(g -> group.equals(g.getString("group")))
        .filter(g -> g.getLong("lag") != null && g.getLong("lag") == 2L).findFirst());
    assertFalse(reader.getBoolean("wrapped"), reader.encode());
    assertEquals(new JsonObject().put("0", 2L), reader.getJsonObject("lagByPartition"));
  }

  @Test
  void theDemoGroupIsAWrappedReaderOfRetail(Stack stack) {
    post(stack, "retail", "retail.product.created", new JsonObject().put("id", "p-" + token()).put("brand", "Acme")
        .put("name", "Anvil").put("category", "tools").put("price", 3));
    JsonObject group = Eventually.await("the demo group reading retail, heartbeat and offsets", WAIT, () -> objects(
        page(viewer, stack, "retail").getJsonArray("groups")).filter(g -> stack.demoGroup().equals(
            g.getString("group"))).filter(g -> g.getValue("lag") != null).findFirst());
    assertTrue(group.getBoolean("wrapped"), group.encode());
    assertFalse(group.getJsonArray("instances").isEmpty(), group.encode());
    JsonObject retail = objects(viewer.get(stack.consoleUrl() + "/api/v1/catalog/streams").json()
        .getJsonArray("streams")).filter(s -> "retail".equals(s.getString("name"))).findFirst().orElseThrow();
    assertTrue(retail.getInteger("groupsReading") >= 1, retail.encode());
    // From its instances' second heartbeat (1 s apart here), the group's quarantine rate over the last window.
    JsonObject rate = Eventually.await("the demo group's quarantine rate on retail", WAIT, () -> objects(
        page(viewer, stack, "retail").getJsonArray("groups")).filter(g -> stack.demoGroup().equals(
            g.getString("group"))).map(g -> g.getJsonObject("quarantine")).filter(q -> q != null).findFirst());
    assertTrue(rate.getDouble("perSecond") >= 0, rate.encode());
    assertTrue(rate.getDouble("windowSeconds") > 0 && rate.getDouble("windowSeconds") < 30, rate.encode());

    // The demo consumer declares what it reads: its owner and reads among the readers, and per field on the types.
    assertEquals("team-catalog", group.getString("owner"));
    assertEquals("#catalog-builder", group.getString("contact"));
    assertTrue(group.getJsonObject("reads").getJsonArray("retail.product.created").contains("/data/price"),
        group.encode());
    JsonObject created = objects(page(viewer, stack, "retail").getJsonArray("types"))
        .filter(t -> "retail.product.created".equals(t.getString("type"))).findFirst().orElseThrow();
    JsonObject price = objects(created.getJsonObject("declaredReads").getJsonArray("pointers"))
        .filter(p -> "/data/price".equals(p.getString("pointer"))).findFirst().orElseThrow();
    assertTrue(price.getJsonArray("groups").contains(stack.demoGroup()), created.encode());
  }

  @Test
  void eachTypeShowsPerFieldTheGroupsThatDeclaredTheyReadIt(Stack stack) throws Exception {
    String type = "it.catalog." + token() + ".placed";
    String stream = streamWithTwoVersions(stack, type);
    String billing = "it-billing-" + token();
    String audit = "it-audit-" + token();
    Vertx vertx = Vertx.vertx();
    GroupRegistry groups = new GroupRegistry(vertx, stack.dynamo(), stack.groupsTable(), Clock.systemUTC());
    List<Heartbeater> beating = List.of(
        declaring(vertx, groups, billing, stream, ReadContract.builder().owner("payments").contact("#payments")
            .reads(type, "/data/id", "/data/note").build()),
        declaring(vertx, groups, audit, stream, ReadContract.builder().owner("audit")
            .reads(type, "/data/id").reads(PHOTOGRAPHER, "/data/id").build()));
    try {
      for (Heartbeater h : beating) {
        h.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      JsonObject declared = Eventually.await("both groups' declared reads of the type", WAIT, () -> objects(
          page(viewer, stack, stream).getJsonArray("types")).filter(t -> type.equals(t.getString("type")))
          .map(t -> t.getJsonObject("declaredReads")).filter(d -> d != null && d.getJsonArray("groups").size() == 2)
          .findFirst());
      assertEquals(new JsonArray()
          .add(new JsonObject().put("pointer", "/data/id").put("groups", new JsonArray().add(audit).add(billing)))
          .add(new JsonObject().put("pointer", "/data/note").put("groups", new JsonArray().add(billing))),
          declared.getJsonArray("pointers"), "2 groups read /data/id, 1 reads /data/note");
      JsonObject payments = objects(declared.getJsonArray("groups")).filter(g -> billing.equals(g.getString("group")))
          .findFirst().orElseThrow();
      assertEquals("payments", payments.getString("owner"));
      assertEquals("#payments", payments.getString("contact"));

      // Among the stream's readers, each group with its owner and its reads of the stream's types.
      JsonObject asReader = objects(page(viewer, stack, stream).getJsonArray("groups"))
          .filter(g -> audit.equals(g.getString("group"))).findFirst().orElseThrow();
      assertEquals("audit", asReader.getString("owner"));
      assertEquals(new JsonObject().put(type, new JsonArray().add("/data/id"))
          .put(PHOTOGRAPHER, new JsonArray().add("/data/id")), asReader.getJsonObject("reads"));
      // The photographer type is on this stream too: audit's declaration shows on the demo's retail page as well.
      JsonObject photographer = objects(page(viewer, stack, "retail").getJsonArray("types"))
          .filter(t -> PHOTOGRAPHER.equals(t.getString("type"))).findFirst().orElseThrow();
      assertTrue(objects(photographer.getJsonObject("declaredReads").getJsonArray("groups"))
          .anyMatch(g -> audit.equals(g.getString("group"))), photographer.encode());

      // The groups API says the same, to a viewer too: pointers name fields, never values.
      JsonObject listed = objects(viewer.get(stack.consoleUrl() + "/api/v1/groups?stream=" + stream).json()
          .getJsonArray("groups")).filter(g -> billing.equals(g.getString("group"))).findFirst().orElseThrow();
      assertEquals(new JsonObject().put(type, new JsonArray().add("/data/id").add("/data/note")),
          listed.getJsonObject("reads"));
    } finally {
      for (Heartbeater h : beating) {
        h.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aWrappedGroupsQuarantineRateIsShownFromItsHeartbeatsOutcomes(Stack stack) throws Exception {
    String group = "it-rate-" + token();
    Vertx vertx = Vertx.vertx();
    GroupRegistry groups = new GroupRegistry(vertx, stack.dynamo(), stack.groupsTable(), Clock.systemUTC());
    String instance = GroupHeartbeat.newInstanceId("it-host");
    // As a wrapped consumer that handled 96 and quarantined 4 records of retail in a 10 s window reports it.
    Heartbeater beating = new Heartbeater(vertx, groups, () -> GroupHeartbeat.of(group, instance, "it-host",
        Set.of("retail"), Map.of()).withOutcomes(Map.of("retail", new StreamOutcomes(96, 4, 10.0))),
        Duration.ofMillis(500));
    try {
      beating.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      JsonObject reader = Eventually.await("the test group among retail's readers", WAIT, () -> objects(
          page(viewer, stack, "retail").getJsonArray("groups")).filter(g -> group.equals(g.getString("group")))
          .findFirst());
      JsonObject rate = reader.getJsonObject("quarantine");
      assertEquals(0.4, rate.getDouble("perSecond"), 1e-9, reader.encode());
      assertEquals(0.04, rate.getDouble("share"), 1e-9, reader.encode());
      assertEquals(10.0, rate.getDouble("windowSeconds"), reader.encode());
      assertEquals(4L, rate.getLong("quarantined"));
      assertEquals(96L, rate.getLong("handled"));
    } finally {
      beating.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** A group of the test's own, heartbeating its read contract as a wrapped consumer does. */
  static Heartbeater declaring(Vertx vertx, GroupRegistry groups, String group, String stream,
      ReadContract contract) {
    String instance = GroupHeartbeat.newInstanceId("it-host");
    return new Heartbeater(vertx, groups, () -> GroupHeartbeat.of(group, instance, "it-host", Set.of(stream), Map.of())
        .withContract(contract), Duration.ofMillis(500));
  }

  /**
   * The "producers seen" row of {@code key} on {@code stream}'s page, once its reported total is {@code total}; empty
   * until then, and while the console has not read the stream's definition from the registry's log (a 404).
   */
  private Optional<JsonObject> producerWithTotal(Stack stack, String stream, String key, long total) {
    Http.Response r = viewer.get(stack.consoleUrl() + "/api/v1/catalog/streams/" + stream);
    return r.status() != 200 ? Optional.empty() : objects(r.json().getJsonArray("producers"))
        .filter(p -> key.equals(p.getString("key")) && p.getLong("totalEvents") == total).findFirst();
  }

  @Test
  void aStreamsPageNamesTheApiKeysThatPostedToItAndCountsTheirEvents(Stack stack) throws Exception {
    String type = "it.catalog." + token() + ".placed";
    String stream = streamWithTwoVersions(stack, type);
    String quiet = streamWithTwoVersions(stack, "it.catalog." + token() + ".placed");
    // dev-producer: three events one by one, and the first again (the same source and id: answered as a duplicate,
    // appended once, so counted once).
    String first = UUID.randomUUID().toString();
    for (String id : List.of(first, UUID.randomUUID().toString(), UUID.randomUUID().toString(), first)) {
      Http.Response r = producer.post(stack.gatewayUrl() + "/v1/streams/" + stream + "/events",
          "application/cloudevents+json", new JsonObject().put("specversion", "1.0").put("id", id)
              .put("source", "/it/producers").put("type", type).put("data", new JsonObject().put("id", id)).encode());
      assertEquals(202, r.status(), r.body());
    }
    // The loader key: one batch of four events, counted as four.
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 4; i++) {
      batch.add(new JsonObject().put("specversion", "1.0").put("id", UUID.randomUUID().toString())
          .put("source", "/it/producers").put("type", type).put("data", new JsonObject().put("id", "b-" + i)));
    }
    Http.Response r = Http.withKey(StackExtension.LOADER_KEY).post(stack.gatewayUrl() + "/v1/streams/" + stream
        + "/events", "application/cloudevents-batch+json", batch.encode());
    assertEquals(202, r.status(), r.body());

    // The gateway reports every second (the test stack's sluice.producers.report.interval): wait for both totals.
    JsonObject web = Eventually.await("dev-producer's three events reported", WAIT,
        () -> producerWithTotal(stack, stream, Http.DEV_PRODUCER, 3));
    JsonObject loader = Eventually.await("the loader's four events reported", WAIT,
        () -> producerWithTotal(stack, stream, "loader", 4));
    for (JsonObject p : List.of(web, loader)) {
      assertTrue(p.getLong("windowEvents") <= p.getLong("totalEvents"), p.encode());
      assertTrue(p.getDouble("ratePerSecond") >= 0, p.encode());
      assertEquals(p.getLong("windowEvents") == 0, p.getBoolean("idle"), p.encode());
      assertTrue(Instant.parse(p.getString("lastSeen")).isAfter(Instant.now().minus(Duration.ofMinutes(5))),
          p.encode());
    }
    JsonObject asViewer = page(viewer, stack, stream);
    assertEquals(List.of(Http.DEV_PRODUCER, "loader"), objects(asViewer.getJsonArray("producers"))
        .map(p -> p.getString("key")).toList(), "by name, and only the keys that posted here");
    assertTrue(asViewer.getJsonArray("notes").isEmpty(), asViewer.encode());
    // Key names only: not the loader's token, nor its hash.
    assertFalse(asViewer.encode().contains(StackExtension.LOADER_KEY), asViewer.encode());
    assertFalse(asViewer.encode().contains(StackExtension.LOADER_KEY_SHA256), asViewer.encode());

    // The same reports went out for every stream with posts, so a stream nobody posted to has none by now.
    JsonObject nobody = Eventually.await("the quiet stream's page", WAIT, () -> Optional.of(viewer.get(
        stack.consoleUrl() + "/api/v1/catalog/streams/" + quiet)).filter(x -> x.status() == 200)
        .map(Http.Response::json));
    assertTrue(nobody.getJsonArray("producers").isEmpty(), nobody.encode());
    assertTrue(nobody.getJsonArray("notes").isEmpty(), nobody.encode());
  }

  @Test
  void anUnknownStreamIsA404Problem(Stack stack) {
    Http.Response r = viewer.get(stack.consoleUrl() + "/api/v1/catalog/streams/no-such-stream");
    assertEquals(404, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    assertEquals("no-such-stream", r.json().getString("stream"));
  }
}
