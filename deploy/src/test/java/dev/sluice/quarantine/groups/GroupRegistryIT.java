package dev.sluice.quarantine.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.schemas.contracts.DeclaredReader;
import dev.sluice.schemas.contracts.ReadContract;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The consumer-group registry against DynamoDB Local: who consumes a stream, on which schema versions, and who
 * declared they read which fields of a type.
 */
@ExtendWith(EnginesExtension.class)
class GroupRegistryIT {
  private static final Duration ALIVE_FOR = Duration.ofSeconds(45);
  private static final String CREATED = "retail.product.created";
  private static final String PHOTOGRAPHED = "retail.product.photographed";

  private Vertx vertx;
  private DynamoDbClient dynamo;
  private String table;
  private HandClock clock;
  private GroupRegistry registry;

  /** A clock the test moves by hand. */
  private static final class HandClock extends Clock {
    private volatile Instant now = Instant.now();

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeEach
  void setUp(Engines engines) {
    vertx = Vertx.vertx();
    dynamo = AwsClients.dynamo(AwsConfig.local(engines.dynamoEndpoint(), engines.sqsEndpoint()));
    table = "groups-it-" + UUID.randomUUID().toString().substring(0, 8);
    GroupRegistry.ensureTable(dynamo, table);
    clock = new HandClock();
    registry = new GroupRegistry(vertx, dynamo, table, ALIVE_FOR, clock, GroupRegistry.DEFAULT_CALL_TIMEOUT);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
    dynamo.close();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static TreeSet<Integer> versions(Integer... v) {
    return new TreeSet<>(List.of(v));
  }

  private static TreeSet<String> pointers(String... p) {
    return new TreeSet<>(List.of(p));
  }

  private void heartbeat(String group, String instance, ReadContract contract) throws Exception {
    await(registry.heartbeat(GroupHeartbeat.of(group, instance, "host-" + instance, Set.of("retail"), Map.of())
        .withContract(contract)));
  }

  private void twoCatalogBuildersAndOneOrderProjector() throws Exception {
    await(registry.heartbeat(GroupHeartbeat.of("catalog-builder", "cb-1", "host-a", Set.of("retail"),
        Map.of(CREATED, Set.of(1)))));
    clock.advance(Duration.ofSeconds(1));
    await(registry.heartbeat(GroupHeartbeat.of("catalog-builder", "cb-2", "host-b", Set.of("retail"),
        Map.of(CREATED, Set.of(1, 2), PHOTOGRAPHED, Set.of(1)))));
    clock.advance(Duration.ofSeconds(1));
    await(registry.heartbeat(GroupHeartbeat.of("order-projector", "op-1", "host-a", Set.of("orders", "retail"),
        Map.of("shop.order.placed", Set.of(3)))));
  }

  @Test
  void listAggregatesTheLiveInstancesOfEachGroup() throws Exception {
    Instant start = clock.instant();
    twoCatalogBuildersAndOneOrderProjector();

    List<GroupView> groups = await(registry.list());
    assertEquals(List.of("catalog-builder", "order-projector"), groups.stream().map(GroupView::group).toList());

    GroupView builder = groups.get(0);
    assertEquals(2, builder.instancesAlive());
    assertEquals(List.of("cb-1", "cb-2"), builder.instances().stream().map(GroupInstance::instanceId).toList());
    assertEquals(List.of("host-a", "host-b"), builder.instances().stream().map(GroupInstance::host).toList());
    assertEquals(Set.of("retail"), builder.streams());
    assertEquals(Map.of(CREATED, versions(1, 2), PHOTOGRAPHED, versions(1)), builder.versionsSeen(),
        "the union of what the instances validated");
    assertEquals(Map.of(CREATED, versions(1)), builder.instances().get(0).versionsSeen(), "and each one's own");
    assertEquals(Instant.ofEpochMilli(start.plusSeconds(1).toEpochMilli()), builder.lastSeen());

    GroupView projector = groups.get(1);
    assertEquals(1, projector.instancesAlive());
    assertEquals(Set.of("orders", "retail"), projector.streams());
    assertEquals(Map.of("shop.order.placed", versions(3)), projector.versionsSeen());
  }

  @Test
  void theStalenessOfEachInstanceIsStoredAndTheGroupShowsTheWorstPerStream() throws Exception {
    await(registry.heartbeat(GroupHeartbeat.of("catalog-builder", "cb-1", "host-a", Set.of("retail", "photos"),
        Map.of(), Map.of("retail", 12.25, "photos", 0.0))));
    clock.advance(Duration.ofSeconds(1));
    await(registry.heartbeat(GroupHeartbeat.of("catalog-builder", "cb-2", "host-b", Set.of("retail"),
        Map.of(), Map.of("retail", 420.5))));
    // An instance of an older wrapper, without the field.
    await(registry.heartbeat(GroupHeartbeat.of("catalog-builder", "cb-3", "host-c", Set.of("retail"), Map.of())));

    GroupView builder = await(registry.list()).get(0);
    assertEquals(Map.of("retail", 420.5, "photos", 0.0), builder.staleness());
    assertEquals(Map.of("retail", 12.25, "photos", 0.0), builder.instances().get(0).staleness());
    assertEquals(Map.of(), builder.instances().get(2).staleness());
  }

  @Test
  void consumersOfAStreamAreTheGroupsThatReadIt() throws Exception {
    twoCatalogBuildersAndOneOrderProjector();

    assertEquals(List.of("catalog-builder", "order-projector"),
        await(registry.consumersOf("retail")).stream().map(GroupView::group).toList());
    List<GroupView> orders = await(registry.consumersOf("orders"));
    assertEquals(List.of("order-projector"), orders.stream().map(GroupView::group).toList());
    assertEquals(Map.of("shop.order.placed", versions(3)), orders.get(0).versionsSeen());
    assertEquals(List.of(), await(registry.consumersOf("nobody-reads-this")));
  }

  @Test
  void anInstanceWhoseHeartbeatsStoppedIsNotListedAlthoughItsItemRemains() throws Exception {
    await(registry.heartbeat(GroupHeartbeat.of("catalog-builder", "crashed", "host-c", Set.of("retail"),
        Map.of(CREATED, Set.of(1)))));
    await(registry.heartbeat(GroupHeartbeat.of("lonely", "crashed-too", "host-c", Set.of("audit"), Map.of())));
    clock.advance(ALIVE_FOR.minusSeconds(1));
    assertEquals(2, await(registry.list()).size(), "still inside the liveness window");

    clock.advance(Duration.ofSeconds(1));
    twoCatalogBuildersAndOneOrderProjector();

    List<GroupView> groups = await(registry.list());
    assertEquals(List.of("catalog-builder", "order-projector"), groups.stream().map(GroupView::group).toList(),
        "a group with no live instance is gone");
    assertEquals(List.of("cb-1", "cb-2"),
        groups.get(0).instances().stream().map(GroupInstance::instanceId).toList());
    assertEquals(List.of(), await(registry.consumersOf("audit")));
    // DynamoDB's TTL deletes lazily (DynamoDB Local too): the dead items are still stored; the query filters them.
    assertEquals(5, dynamo.scan(b -> b.tableName(table)).count());
  }

  @Test
  void aDelayedOlderHeartbeatDoesNotOverwriteANewerOne() throws Exception {
    var late = new GroupRegistry(vertx, dynamo, table, ALIVE_FOR, Clock.fixed(clock.instant(), ZoneOffset.UTC),
        GroupRegistry.DEFAULT_CALL_TIMEOUT);
    clock.advance(Duration.ofSeconds(10));
    await(registry.heartbeat(GroupHeartbeat.of("g", "i-1", "h", Set.of("retail"), Map.of(CREATED, Set.of(2)))));
    await(late.heartbeat(GroupHeartbeat.of("g", "i-1", "h", Set.of("retail"), Map.of(CREATED, Set.of(1)))));

    GroupView view = await(registry.list()).get(0);
    assertEquals(Map.of(CREATED, versions(2)), view.versionsSeen());
    assertEquals(Instant.ofEpochMilli(clock.millis()), view.lastSeen());
  }

  @Test
  void itemsCarryTheTtlAttributeAndTheTableHasTtlOn() throws Exception {
    await(registry.heartbeat(GroupHeartbeat.of("g", "i-1", "h", Set.of("retail"), Map.of(CREATED, Set.of(1)))));
    Map<String, AttributeValue> item = dynamo.scan(b -> b.tableName(table)).items().get(0);
    long lastSeen = clock.millis();
    assertEquals(lastSeen, Long.parseLong(item.get("lastSeen").n()));
    assertEquals((lastSeen + ALIVE_FOR.toMillis() + 999) / 1000, Long.parseLong(item.get("expiresAt").n()));

    GroupRegistry.ensureTable(dynamo, table); // again: nothing to do, no error
    var ttl = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
    assertEquals("expiresAt", ttl.attributeName());
    assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
  }

  /** The whole loop: a consumer records versions as it validates, a Heartbeater reports them, a clean stop leaves. */
  @Test
  void aHeartbeaterReportsTheVersionsRecordedAndItsStopRemovesTheInstance() throws Exception {
    var live = new GroupRegistry(vertx, dynamo, table, Clock.systemUTC());
    var seen = SchemaVersionsSeen.withDefaults(Clock.systemUTC());
    seen.record(CREATED, 1);
    seen.record(CREATED, 2);
    String instanceId = GroupHeartbeat.newInstanceId("it-host");
    var heartbeater = new Heartbeater(vertx, live,
        () -> GroupHeartbeat.of("catalog-builder", instanceId, "it-host", Set.of("retail"), seen.snapshot()),
        Duration.ofMillis(100));
    await(heartbeater.start());

    List<GroupView> consumers = await(live.consumersOf("retail"));
    assertEquals(1, consumers.size());
    assertEquals(instanceId, consumers.get(0).instances().get(0).instanceId());
    assertEquals(Map.of(CREATED, versions(1, 2)), consumers.get(0).versionsSeen());

    seen.record(PHOTOGRAPHED, 1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!await(live.list()).get(0).versionsSeen().containsKey(PHOTOGRAPHED)) {
      assertTrue(System.nanoTime() < deadline, "a later heartbeat reports the new type");
      Thread.sleep(50);
    }

    await(heartbeater.stop());
    assertEquals(List.of(), await(live.list()));
    assertEquals(0, dynamo.scan(b -> b.tableName(table)).count(), "removed at once, not left to expire");
  }

  @Test
  void aReadContractIsStoredAndReadBackAndDeclaredReadersAnswerByType() throws Exception {
    // catalog-builder in a rolling deploy: the old build reads the name, the new one the price and the photos.
    heartbeat("catalog-builder", "cb-old", ReadContract.builder().owner("team-catalog").contact("#catalog-old")
        .reads(CREATED, "/data/id", "/data/name").build());
    clock.advance(Duration.ofSeconds(1));
    heartbeat("catalog-builder", "cb-new", ReadContract.builder().owner("team-catalog").contact("#catalog")
        .reads(CREATED, "/data/id", "/data/price").reads(PHOTOGRAPHED, "/data/imageUrl").build());
    heartbeat("billing", "b-1", ReadContract.builder().owner("payments").reads(CREATED, "/data/price").build());
    heartbeat("undeclared", "u-1", ReadContract.NONE);

    List<GroupView> groups = await(registry.list());
    GroupView builder = groups.stream().filter(g -> g.group().equals("catalog-builder")).findFirst().orElseThrow();
    assertEquals(Map.of(CREATED, pointers("/data/id", "/data/name", "/data/price"),
        PHOTOGRAPHED, pointers("/data/imageUrl")), builder.contract().reads(), "the union of the live instances'");
    assertEquals("#catalog", builder.contract().contact(), "the newest instance's");
    assertEquals(Map.of(CREATED, pointers("/data/id", "/data/name")),
        builder.instances().get(1).contract().reads(), "each instance's own, read back as stored");
    assertEquals("cb-old", builder.instances().get(1).instanceId());
    assertEquals(ReadContract.NONE, groups.stream().filter(g -> g.group().equals("undeclared")).findFirst()
        .orElseThrow().contract());

    assertEquals(List.of(
            new DeclaredReader("billing", "payments", "", pointers("/data/price")),
            new DeclaredReader("catalog-builder", "team-catalog", "#catalog",
                pointers("/data/id", "/data/name", "/data/price"))),
        await(registry.declaredReaders(CREATED)));
    assertEquals(List.of(new DeclaredReader("catalog-builder", "team-catalog", "#catalog",
        pointers("/data/imageUrl"))), await(registry.declaredReaders(PHOTOGRAPHED)));
    assertEquals(List.of(), await(registry.declaredReaders("retail.photographer.registered")));

    // The old build's instances are gone: what only they read is no longer declared.
    clock.advance(ALIVE_FOR);
    heartbeat("catalog-builder", "cb-new", ReadContract.builder().owner("team-catalog").contact("#catalog")
        .reads(CREATED, "/data/id", "/data/price").reads(PHOTOGRAPHED, "/data/imageUrl").build());
    assertEquals(List.of(new DeclaredReader("catalog-builder", "team-catalog", "#catalog",
        pointers("/data/id", "/data/price"))), await(registry.declaredReaders(CREATED)));
  }

  @Test
  void anItemOfAnInstanceOlderThanContractsReadsAsDeclaringNothing() throws Exception {
    // As a wrapper from before read contracts wrote it: no owner, contact or reads attribute.
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("group", AttributeValue.fromS("legacy"));
    item.put("instance", AttributeValue.fromS("l-1"));
    item.put("host", AttributeValue.fromS("old-host"));
    item.put("streams", AttributeValue.fromL(List.of(AttributeValue.fromS("retail"))));
    item.put("versionsSeen", AttributeValue.fromM(Map.of(CREATED, AttributeValue.fromNs(List.of("1")))));
    item.put("lastSeen", AttributeValue.fromN(Long.toString(clock.millis())));
    item.put("expiresAt", AttributeValue.fromN(Long.toString(clock.millis() / 1000 + 60)));
    dynamo.putItem(b -> b.tableName(table).item(item));

    GroupView legacy = await(registry.list()).get(0);
    assertEquals(ReadContract.NONE, legacy.contract());
    assertEquals(ReadContract.NONE, legacy.instances().get(0).contract());
    assertEquals(List.of(), await(registry.declaredReaders(CREATED)));
  }

  @Test
  void eachInstancesOutcomesAreStoredAndTheGroupsQuarantineRateSumsThem() throws Exception {
    await(registry.heartbeat(GroupHeartbeat.of("g", "i-1", "h1", Set.of("retail", "photos"), Map.of())
        .withOutcomes(Map.of("retail", new StreamOutcomes(96, 4, 10.0), "photos", new StreamOutcomes(5, 0, 10.0)))));
    await(registry.heartbeat(GroupHeartbeat.of("g", "i-2", "h2", Set.of("retail"), Map.of())
        .withOutcomes(Map.of("retail", new StreamOutcomes(97, 3, 5.0)))));
    // An instance's first heartbeat reports no outcomes: no attribute, and it adds nothing to the group's rate.
    await(registry.heartbeat(GroupHeartbeat.of("g", "i-3", "h3", Set.of("retail"), Map.of())));

    GroupView g = await(registry.list()).get(0);
    assertEquals(Map.of("retail", new StreamOutcomes(96, 4, 10.0), "photos", new StreamOutcomes(5, 0, 10.0)),
        g.instances().get(0).outcomes());
    assertEquals(Map.of(), g.instances().get(2).outcomes());
    QuarantineRate retail = g.quarantineRates().get("retail");
    assertEquals(1.0, retail.perSecond(), 1e-9, "0.4/s and 0.6/s");
    assertEquals(0.035, retail.share().orElseThrow(), 1e-9);
    assertEquals(10.0, retail.windowSeconds());
    assertEquals(new QuarantineRate(5, 0, 0.0, 10.0), g.quarantineRates().get("photos"));
    Map<String, AttributeValue> third = dynamo.getItem(b -> b.tableName(table).key(Map.of(
        "group", AttributeValue.fromS("g"), "instance", AttributeValue.fromS("i-3")))).item();
    assertTrue(!third.containsKey("outcomes"), "no empty map stored");

    // The next heartbeat replaces the window: the item holds the last one only.
    clock.advance(Duration.ofSeconds(10));
    await(registry.heartbeat(GroupHeartbeat.of("g", "i-1", "h1", Set.of("retail"), Map.of())
        .withOutcomes(Map.of("retail", new StreamOutcomes(10, 0, 10.0)))));
    assertEquals(Map.of("retail", new StreamOutcomes(10, 0, 10.0)),
        await(registry.list()).get(0).instances().get(0).outcomes());
  }

  @Test
  void anItemOfAnInstanceOlderThanOutcomesReportsNoQuarantineRate() throws Exception {
    // As a wrapper from before the outcomes wrote it: no outcomes attribute.
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("group", AttributeValue.fromS("legacy"));
    item.put("instance", AttributeValue.fromS("l-1"));
    item.put("host", AttributeValue.fromS("old-host"));
    item.put("streams", AttributeValue.fromL(List.of(AttributeValue.fromS("retail"))));
    item.put("versionsSeen", AttributeValue.fromM(Map.of()));
    item.put("lastSeen", AttributeValue.fromN(Long.toString(clock.millis())));
    item.put("expiresAt", AttributeValue.fromN(Long.toString(clock.millis() / 1000 + 60)));
    dynamo.putItem(b -> b.tableName(table).item(item));

    GroupView legacy = await(registry.list()).get(0);
    assertEquals(Map.of(), legacy.instances().get(0).outcomes());
    assertEquals(Map.of(), legacy.quarantineRates(), "not reported, rather than a rate of 0");
  }

  @Test
  void aHeartbeatWithOutcomesForEveryStreamItsBoundAllowsIsStored() throws Exception {
    Set<String> streams = new TreeSet<>();
    Map<String, StreamOutcomes> outcomes = new HashMap<>();
    for (int i = 0; i < GroupHeartbeat.MAX_STREAMS; i++) {
      String stream = "stream-" + i;
      streams.add(stream);
      outcomes.put(stream, new StreamOutcomes(1_000_000L + i, i, 10.003));
    }
    await(registry.heartbeat(GroupHeartbeat.of("g", "i-1", "h", streams, Map.of()).withOutcomes(outcomes)));
    GroupView g = await(registry.list()).get(0);
    assertEquals(outcomes, g.instances().get(0).outcomes());
    assertEquals(GroupHeartbeat.MAX_STREAMS, g.quarantineRates().size());
  }

  @Test
  void aContractAtItsSizeBoundIsStoredWhole() throws Exception {
    ReadContract.Builder big = ReadContract.builder().owner("o".repeat(ReadContract.MAX_TEXT_LENGTH))
        .contact("c".repeat(ReadContract.MAX_TEXT_LENGTH));
    // Pointers of 199 characters until the next would pass the bound: about 32 KB, far below DynamoDB's 400 KB.
    int i = 0;
    while (GroupHeartbeat.contractBytes(big.build()) + 199 + 60 <= GroupHeartbeat.MAX_CONTRACT_BYTES) {
      big.reads("type-" + (i % 20) + ".x".repeat(20), "/data/" + String.format("%04d", i) + "p".repeat(189));
      i++;
    }
    ReadContract contract = big.build();
    heartbeat("big", "b-1", contract);

    assertEquals(contract, await(registry.list()).get(0).contract());
    assertTrue(contract.reads().values().stream().mapToInt(Set::size).sum() > 150, "a real size: " + i);
  }
}
