package dev.sluice.schemas.registry.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.RegistryRecord;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The registry log against a real broker: bootstrap, durability across replicas and restarts, read-your-writes,
 * and races between replicas settled by the log order. Every test has its own registry topic.
 */
@ExtendWith(EnginesExtension.class)
class RegistryLogIT {
  private static final String PRODUCT = "retail.product.created";
  private static final Duration WITHIN = Duration.ofSeconds(15);

  private final List<RegistryLog> logs = new ArrayList<>();
  private Map<String, String> clientProps;
  private RegistryLogConfig config;

  @BeforeEach
  void setUp(Engines engines) {
    clientProps = Map.of("bootstrap.servers", engines.bootstrapServers());
    config = new RegistryLogConfig("_sluice_registry_it_" + UUID.randomUUID().toString().substring(0, 8), 3,
        Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  @AfterEach
  void tearDown() {
    logs.forEach(RegistryLog::close);
  }

  /** A replica: its own log (own reader, own producer) on the shared topic, started. */
  private RegistryLog replica() {
    RegistryLog log = new RegistryLog(config, clientProps);
    logs.add(log);
    log.start(StreamCatalog.loadDefault());
    return log;
  }

  /** The product schema file with some required members relaxed: a backward-compatible change under any rules. */
  private static String productWithout(String... notRequired) {
    JSONObject schema = new JSONObject(StreamCatalog.readResource("sluice/schemas/" + PRODUCT + ".json"));
    JSONArray required = new JSONArray();
    Set<String> drop = Set.of(notRequired);
    for (Object r : schema.getJSONArray("required")) {
      if (!drop.contains(r)) {
        required.put(r);
      }
    }
    return schema.put("required", required).toString();
  }

  /** What must be equal on every replica: each type's version fingerprints and level, and the streams. */
  private static Map<String, Object> view(RegistryState s) {
    Map<String, Object> out = new TreeMap<>();
    for (String type : s.types()) {
      out.put("type " + type, s.versions(type).stream().map(v -> v.version() + ":" + v.fingerprint()).toList());
      out.put("level " + type, s.compatibility(type));
    }
    for (String name : s.streamNames()) {
      out.put("stream " + name, s.stream(name).orElseThrow());
    }
    return out;
  }

  private long endOffset() throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>copyOf(clientProps))) {
      TopicPartition tp = new TopicPartition(config.topic(), 0);
      return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(10, TimeUnit.SECONDS)
          .offset();
    }
  }

  @Test
  void anEmptyTopicIsCreatedCompactedAndBootstrappedFromTheCatalog() throws Exception {
    RegistryState state = replica().registry().state();

    StreamCatalog catalog = StreamCatalog.loadDefault();
    assertEquals(Set.of(PRODUCT, "retail.photographer.registered", "retail.product.photographed"), state.types());
    for (String type : state.types()) {
      assertEquals(1, state.versions(type).size());
      assertEquals(StreamCatalog.readResource("sluice/schemas/" + type + ".json"),
          state.latest(type).orElseThrow().schemaJson());
    }
    assertEquals(catalog.stream("retail"), state.stream("retail"));
    assertEquals(4, endOffset(), "three schemas and one stream");

    try (Admin admin = Admin.create(Map.<String, Object>copyOf(clientProps))) {
      TopicDescription d = admin.describeTopics(List.of(config.topic())).allTopicNames().get(10, TimeUnit.SECONDS)
          .get(config.topic());
      assertEquals(1, d.partitions().size());
      assertEquals(1, d.partitions().get(0).replicas().size(), "replication factor 3 capped at the one broker");
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, config.topic());
      Config c = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
      assertEquals("compact", c.get("cleanup.policy").value());
      assertEquals("1", c.get("min.insync.replicas").value());
    }
  }

  @Test
  void aSecondReplicaReadsTheSameStateAndThenSeesTheFirstOnesWrites() {
    RegistryLog first = replica();
    RegistryAdmin admin = new RegistryAdmin(first);
    var v2 = assertInstanceOf(Registration.Created.class, admin.register(PRODUCT, productWithout("category")));
    assertEquals(2, v2.version().version());
    // Read-your-writes: the writer's own registry has it the moment register returns.
    assertEquals(2, first.registry().state().latest(PRODUCT).orElseThrow().version());

    RegistryLog second = replica();
    assertEquals(view(first.registry().state()), view(second.registry().state()));

    assertInstanceOf(CompatibilityChange.Set.class, admin.setCompatibility(PRODUCT, Compatibility.NONE));
    var v3 = assertInstanceOf(Registration.Created.class, admin.register(PRODUCT, "{\"type\":\"object\"}"));
    assertEquals(3, v3.version().version());
    Eventually.await("the second replica sees version 3 and level NONE", WITHIN, () ->
        second.registry().state().latest(PRODUCT).filter(v -> v.version() == 3
            && second.registry().state().compatibility(PRODUCT) == Compatibility.NONE));
    assertEquals(view(first.registry().state()), view(second.registry().state()));
  }

  @Test
  void theSameSchemaAgainIsTheExistingVersionAndWritesNothing() throws Exception {
    RegistryAdmin admin = new RegistryAdmin(replica());
    long before = endOffset();
    String reformatted = new JSONObject(StreamCatalog.readResource("sluice/schemas/" + PRODUCT + ".json")).toString(4);
    var existing = assertInstanceOf(Registration.Existing.class, admin.register(PRODUCT, reformatted));
    assertEquals(1, existing.version().version());
    assertEquals(before, endOffset());
  }

  @Test
  void replicasRacingForOneTypeGetDistinctVersionsAndAgree() throws Exception {
    RegistryLog a = replica();
    RegistryLog b = replica();
    RegistryAdmin adminA = new RegistryAdmin(a);
    RegistryAdmin adminB = new RegistryAdmin(b);
    String type = "it.race";
    assertInstanceOf(Registration.Created.class, adminA.register(type, "{\"type\":\"object\"}"));
    assertInstanceOf(CompatibilityChange.Set.class, adminA.setCompatibility(type, Compatibility.NONE));
    Eventually.await("B sees the type", WITHIN, () -> b.registry().state().latest(type)
        .filter(v -> b.registry().state().compatibility(type) == Compatibility.NONE));

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      int expectedLatest = 1;
      for (int round = 0; round < 3; round++) {
        CountDownLatch go = new CountDownLatch(1);
        String schemaA = "{\"type\":\"object\",\"title\":\"a" + round + "\"}";
        String schemaB = "{\"type\":\"object\",\"title\":\"b" + round + "\"}";
        CompletableFuture<Registration> ra = CompletableFuture.supplyAsync(() -> {
          awaitQuietly(go);
          return adminA.register(type, schemaA);
        }, pool);
        CompletableFuture<Registration> rb = CompletableFuture.supplyAsync(() -> {
          awaitQuietly(go);
          return adminB.register(type, schemaB);
        }, pool);
        go.countDown();
        SchemaVersion va = assertInstanceOf(Registration.Created.class, ra.get(30, TimeUnit.SECONDS)).version();
        SchemaVersion vb = assertInstanceOf(Registration.Created.class, rb.get(30, TimeUnit.SECONDS)).version();
        assertEquals(Set.of(expectedLatest + 1, expectedLatest + 2), Set.of(va.version(), vb.version()));
        expectedLatest += 2;
        int latest = expectedLatest;
        Eventually.await("both replicas at version " + latest, WITHIN, () -> Optional.of(true).filter(x ->
            a.registry().state().versions(type).size() == latest
                && b.registry().state().versions(type).size() == latest));
        assertEquals(view(a.registry().state()), view(b.registry().state()));
        assertEquals(schemaA, a.registry().state().version(type, va.version()).orElseThrow().schemaJson());
        assertEquals(schemaB, b.registry().state().version(type, vb.version()).orElseThrow().schemaJson());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aRestartKeepsTheStateAndBootstrapsNothingAgain() throws Exception {
    RegistryLog first = replica();
    RegistryAdmin admin = new RegistryAdmin(first);
    assertInstanceOf(Registration.Created.class, admin.register(PRODUCT, productWithout("category")));
    assertInstanceOf(CompatibilityChange.Set.class, admin.setCompatibility(PRODUCT, Compatibility.FULL));
    StreamDefinition retail = first.registry().state().stream("retail").orElseThrow();
    StreamDefinition grown = new StreamDefinition(retail.name(), retail.topic(), 6, retail.ordering(),
        retail.types(), retail.partitionKeyExtension());
    assertEquals(new StreamChange.Saved(grown, false, true), admin.putStream(grown));
    Map<String, Object> before = view(first.registry().state());
    first.close();
    long end = endOffset();

    RegistryLog restarted = replica();
    assertEquals(before, view(restarted.registry().state()));
    assertEquals(6, restarted.registry().state().stream("retail").orElseThrow().partitions(),
        "the catalog file does not override a stream defined in the log");
    assertEquals(end, endOffset(), "a restart appends nothing");
  }

  @Test
  void garbledAndForeignRecordsAreSkippedAndReadingGoesOn() throws Exception {
    RegistryLog first = replica();
    try (KafkaProducer<String, String> foreign = new KafkaProducer<>(Map.<String, Object>copyOf(clientProps),
        new StringSerializer(), new StringSerializer())) {
      foreign.send(new ProducerRecord<>(config.topic(), "schema/x/1/abc", "not json")).get(10, TimeUnit.SECONDS);
      foreign.send(new ProducerRecord<>(config.topic(), "future/x", "{\"kind\":\"future\"}")).get(10, TimeUnit.SECONDS);
      foreign.send(new ProducerRecord<>(config.topic(), "stream/retail", null)).get(10, TimeUnit.SECONDS);
    }
    // The reader went past all of them: the next write is read back in time.
    RegistryAdmin admin = new RegistryAdmin(first);
    assertInstanceOf(Registration.Created.class, admin.register(PRODUCT, productWithout("category")));
    assertTrue(first.registry().state().stream("retail").isPresent(), "a tombstone deletes nothing");

    RegistryLog second = replica();
    assertEquals(view(first.registry().state()), view(second.registry().state()));
  }

  @Test
  void aVersionLoggedBeforeThePatternLimitIsReCheckedAtStartUpAndKeptUnusable() throws Exception {
    RegistryLog first = replica();
    // What an older gateway accepted: the pattern that pins an event loop. Written as that gateway wrote it.
    String frozen = "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\","
        + "\"pattern\":\"^(a{1,1000}){1,1000}$\"}}}";
    RegistryRecordCodec.Encoded old = RegistryRecordCodec.encode(
        new RegistryRecord.SchemaRegistered("zz.quant", 1, frozen), UUID.randomUUID().toString());
    try (KafkaProducer<String, String> olderGateway = new KafkaProducer<>(Map.<String, Object>copyOf(clientProps),
        new StringSerializer(), new StringSerializer())) {
      olderGateway.send(new ProducerRecord<>(config.topic(), old.key(), old.value())).get(10, TimeUnit.SECONDS);
    }
    Eventually.await("the older gateway's version is read", WITHIN,
        () -> first.registry().state().version("zz.quant", 1));

    // A replica starting now reads it, compiles it under today's rules, and keeps it numbered but unusable.
    RegistryLog restarted = replica();
    SchemaVersion v1 = restarted.registry().state().version("zz.quant", 1).orElseThrow();
    assertEquals(false, v1.usable());
    assertEquals("pattern-size", v1.problems().get(0).rule());
    // The next registration still gets number 2, and works (compatibility off: v2 bounds what v1 left unbounded).
    RegistryAdmin admin = new RegistryAdmin(restarted);
    admin.setCompatibility("zz.quant", Compatibility.NONE);
    Registration.Created v2 = assertInstanceOf(Registration.Created.class, admin.register("zz.quant",
        "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"maxLength\":1000}}}"));
    assertEquals(2, v2.version().version());
    assertTrue(v2.version().usable());
  }

  @Test
  void aTopicThatWouldDeleteSchemasIsRefused() throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>copyOf(clientProps))) {
      admin.createTopics(List.of(new NewTopic(config.topic(), 1, (short) 1)
          .configs(Map.of("cleanup.policy", "delete")))).all().get(10, TimeUnit.SECONDS);
    }
    RegistryLog log = new RegistryLog(config, clientProps);
    logs.add(log);
    RegistryLogException e = assertThrows(RegistryLogException.class, () -> log.start(StreamCatalog.loadDefault()));
    assertTrue(e.getMessage().contains("cleanup.policy=delete"), e.getMessage());
  }

  @Test
  void aTopicWithSeveralPartitionsIsRefused() throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>copyOf(clientProps))) {
      admin.createTopics(List.of(new NewTopic(config.topic(), 2, (short) 1)
          .configs(Map.of("cleanup.policy", "compact")))).all().get(10, TimeUnit.SECONDS);
    }
    RegistryLog log = new RegistryLog(config, clientProps);
    logs.add(log);
    RegistryLogException e = assertThrows(RegistryLogException.class, () -> log.start(StreamCatalog.loadDefault()));
    assertTrue(e.getMessage().contains("2 partitions"), e.getMessage());
  }
}
