package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.engine.DataDirs;
import dev.sluice.deploy.engine.EmbeddedDynamoDb;
import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.FreePorts;
import dev.sluice.quarantine.dedup.ProcessedEvents;
import dev.sluice.quarantine.groups.GroupRegistry;
import dev.sluice.quarantine.groups.GroupView;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.store.HandlerAttempt;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineQuery;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The plain poll-loop wrapper ({@link QuarantiningPollLoop}, a {@code KafkaConsumer} and a blocking handler, no Vert.x
 * on the service's side) against the real engines, showing the behaviour of the Vert.x wrapper with the same store
 * and queues: the tiers, the ordering guard, commits only past handled or recorded records, both CloudEvents content
 * modes, and rebalances and restarts that neither duplicate items nor replay what was committed.
 */
@ExtendWith(EnginesExtension.class)
@Timeout(60)
class QuarantiningPollLoopIT {

  /** How this class's consumers handle a partition's records; {@code ConcurrentQuarantiningPollLoopIT} runs every test again by key. */
  Handling handling() {
    return Handling.ORDERED;
  }
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<KafkaHeader> STRUCTURED =
      List.of(KafkaHeader.of(CloudEventKafkaBinding.CONTENT_TYPE, CloudEventKafkaBinding.STRUCTURED));
  private WrapperHarness h;

  @AfterEach
  void tearDown() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private WrapperHarness harness(Engines engines, OrderingPolicy ordering, int partitions,
      UnaryOperator<WrapperConfig> tune) throws Exception {
    h = new WrapperHarness(engines, ordering, partitions, handling().tune(tune));
    return h;
  }

  /** A structured-mode record: the whole CloudEvent in the value, as producers other than the gateway write it. */
  private RecordMetadata produceStructured(int partition, String key, JsonObject data) throws Exception {
    String event = new JsonObject().put("specversion", "1.0").put("id", UUID.randomUUID().toString())
        .put("source", "/it/other-producer").put("type", "retail.product.created")
        .put("datacontenttype", "application/json").put("data", data).encode();
    return h.produceRaw(partition, key, event.getBytes(StandardCharsets.UTF_8), STRUCTURED);
  }

  private List<QuarantineItem> itemsOfGroup() throws Exception {
    return h.store.list(new QuarantineQuery(Optional.empty(), Optional.empty(), Optional.of(h.group), 100))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Map<String, Long> applicationsPerProduct() {
    return h.handler.applied.stream().collect(Collectors.groupingBy(id -> id, Collectors.counting()));
  }

  @Test
  void goodEventsAreHandledPoisonIsQuarantinedOnceAndAFailureIsRetriedThroughTheQueue(Engines engines)
      throws Exception {
    harness(engines, OrderingPolicy.UNORDERED, 2, c -> c).startPollLoop();
    RecordMetadata good = h.produce(0, "good", "ok");
    RecordMetadata garbage = h.produceRaw(0, "junk", "not a cloud event".getBytes(StandardCharsets.UTF_8),
        List.of());
    RecordMetadata later = h.produce(0, "later", "fail-4");
    RecordMetadata after = h.produce(0, "after", "ok");
    RecordMetadata structuredGood = produceStructured(1, "s-good", WrapperHarness.product("s-good", "ok"));
    RecordMetadata structuredBad = produceStructured(1, "s-bad",
        new JsonObject().put("id", "s-bad").put("price", "free"));

    QuarantineItem notAnEvent = h.awaitItem(garbage, QuarantineStatus.QUARANTINED, WAIT);
    assertEquals(QuarantineReason.NOT_A_CLOUDEVENT, notAnEvent.reason());
    QuarantineItem invalid = h.awaitItem(structuredBad, QuarantineStatus.QUARANTINED, WAIT);
    assertEquals(QuarantineReason.SCHEMA_VIOLATION, invalid.reason(), "a structured-mode record is judged by schema");
    assertEquals(0, invalid.attempts(), "poison never reaches the handler");

    QuarantineItem retrying = h.awaitItem(later, QuarantineStatus.RETRYING, WAIT);
    assertEquals(3, retrying.attempts(), "three in place first");
    h.awaitCommitted(0, after.offset() + 1, WAIT);
    h.awaitCommitted(1, structuredBad.offset() + 1, WAIT);
    assertTrue(h.handler.applied("good") && h.handler.applied("after"),
        "the partition moved on past the retrying record");
    assertTrue(h.handler.applied("s-good"), "a structured-mode record is decoded and handled");
    assertEquals(structuredGood.offset(), h.handler.callsFor("s-good").get(0).offset());

    QuarantineItem resolved = h.awaitItem(later, QuarantineStatus.RESOLVED, WAIT);
    assertEquals(List.of(HandlerAttempt.Tier.IN_PLACE, HandlerAttempt.Tier.IN_PLACE, HandlerAttempt.Tier.IN_PLACE,
        HandlerAttempt.Tier.DELAYED, HandlerAttempt.Tier.DELAYED),
        resolved.attemptLog().stream().map(HandlerAttempt::tier).toList());
    assertEquals(List.of(0, 0, 0, 1, 2),
        h.handler.callsFor("later").stream().map(ScriptedHandler.Call::generation).toList());
    assertEquals(Optional.empty(), h.item(good), "handled at once: nothing recorded");

    List<QuarantineItem> items = itemsOfGroup();
    assertEquals(3, items.size(), "one item per diverted record: " + items);
    assertEquals(Map.of("good", 1L, "after", 1L, "s-good", 1L, "later", 1L), applicationsPerProduct());
    assertFalse(h.handler.blockingThreads.isEmpty());
    assertTrue(h.handler.blockingThreads.stream().allMatch(t -> t.startsWith("sluice-handler-")),
        "the blocking handler runs on the wrapper's handler threads, never on an event loop: "
            + h.handler.blockingThreads);
  }

  @Test
  void eachInstanceHeartbeatsItsGroupStreamsAndSchemaVersionsWhileItRuns(Engines engines) throws Exception {
    harness(engines, OrderingPolicy.UNORDERED, 1, c -> c);
    String groupsTable = "groups-" + h.prefix;
    GroupRegistry.ensureTable(h.dynamo, groupsTable);
    GroupRegistry groups = new GroupRegistry(h.vertx, h.dynamo, groupsTable, Clock.systemUTC());
    QuarantiningPollLoop loop = h.startPollLoop(b -> b.heartbeat(groupsTable, Duration.ofMillis(200)));
    h.produce(0, "seen", "ok");
    Eventually.await("seen applied", WAIT, () -> h.handler.applied("seen") ? Optional.of(true) : Optional.empty());

    GroupView view = Eventually.await("the group with the version it validated", WAIT, () -> {
      try {
        return groups.consumersOf(h.topic).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
            .stream().filter(g -> g.group().equals(h.group) && g.versionsSeen().containsKey("retail.product.created"))
            .findFirst();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertEquals(1, view.instancesAlive());
    assertEquals(java.util.Set.of(h.topic), view.streams());

    h.stopPollLoop(loop);
    assertTrue(groups.consumersOf(h.topic).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .stream().noneMatch(g -> g.group().equals(h.group) && g.instancesAlive() > 0),
        "a closed instance leaves the registry at once");
  }

  @Test
  void withDedupAnEventWrittenTwiceIsAppliedOnce(Engines engines) throws Exception {
    harness(engines, OrderingPolicy.UNORDERED, 1, c -> c);
    String processedTable = "processed-" + h.prefix;
    ProcessedEvents.ensureDynamoTable(h.dynamo, processedTable);
    h.startPollLoop(b -> b.dedupInDynamo(processedTable, Duration.ofMinutes(10)));
    // A producer's retry: the same CloudEvent (same id) twice on the topic.
    CloudEvent e = new CloudEvent("1.0", UUID.randomUUID().toString(), "/it/dedup", "retail.product.created",
        "application/json", null, null, null, Map.of(), WrapperHarness.product("twice", "ok").encode());
    h.produceRaw(0, "twice", e.data().getBytes(StandardCharsets.UTF_8), CloudEventKafkaBinding.headers(e));
    RecordMetadata again = h.produceRaw(0, "twice", e.data().getBytes(StandardCharsets.UTF_8),
        CloudEventKafkaBinding.headers(e));
    RecordMetadata other = h.produce(0, "other", "ok");
    h.awaitCommitted(0, other.offset() + 1, WAIT);

    assertEquals(Map.of("twice", 1L, "other", 1L), applicationsPerProduct());
    assertEquals(1, h.handler.callsFor("twice").size(), "the copy never reached the handler");
    assertEquals(Optional.empty(), h.item(again), "a skipped duplicate counts as handled");
  }

  @Test
  void theOffsetIsNotCommittedPastARecordStillInItsInPlaceRetries(Engines engines) throws Exception {
    // 4 attempts 400 ms apart: the record spends over a second in the in-place tier.
    harness(engines, OrderingPolicy.UNORDERED, 1, c -> c.with(d -> d.backoff =
        BackoffPolicy.decorrelated(Duration.ofMillis(400), Duration.ofMillis(400), 4, Optional.empty())))
        .startPollLoop();
    RecordMetadata first = h.produce(0, "first", "ok");
    RecordMetadata slow = h.produce(0, "slow", "fail-3");
    h.awaitCommitted(0, first.offset() + 1, WAIT);

    int seenWhileRetrying = 0;
    while (!h.handler.applied("slow")) {
      int callsBefore = h.handler.callsFor("slow").size();
      long committed = h.committed(0);
      if (callsBefore > 0 && !h.handler.applied("slow")) {
        seenWhileRetrying++;
        assertTrue(committed <= slow.offset(), "committed " + committed + " past the record in hand");
      }
      Thread.sleep(50);
    }
    assertTrue(seenWhileRetrying > 0, "the commit was looked at while the record was in its retries");
    h.awaitCommitted(0, slow.offset() + 1, WAIT);
    assertEquals(4, h.handler.callsFor("slow").size());
    assertEquals(Optional.empty(), h.item(slow));
  }

  @Test
  @Timeout(90)
  void aDynamoDbOutageHoldsThePartitionAtTheUnrecordedPoisonAndTheLoopCarriesOnByItself(Engines engines)
      throws Exception {
    Path dir = Files.createTempDirectory("sluice-poll-loop-ddb");
    int port = FreePorts.pick();
    EmbeddedDynamoDb ddb = EmbeddedDynamoDb.startPersistent(dir, port);
    try {
      h = new WrapperHarness(engines, OrderingPolicy.UNORDERED, 2, handling().tune(c -> c.withErrorBackoff(Duration.ofMillis(200))),
          ddb.endpoint(), engines.sqsEndpoint());
      h.startPollLoop();
      RecordMetadata warm = h.produce(0, "warm", "ok");
      h.awaitCommitted(0, warm.offset() + 1, WAIT);

      ddb.close();
      RecordMetadata poison = produceStructured(0, "bad", new JsonObject().put("id", "bad").put("price", "free"));
      RecordMetadata behind = h.produce(0, "behind", "ok");
      RecordMetadata elsewhere = h.produce(1, "elsewhere", "ok");
      h.awaitCommitted(1, elsewhere.offset() + 1, WAIT);
      long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
      while (System.nanoTime() < until) {
        long committed = h.committed(0);
        assertTrue(committed <= poison.offset(), "committed " + committed + " past the unrecorded poison");
        Thread.sleep(250);
      }
      assertTrue(h.handler.applied("elsewhere"), "the other partition needed no store and flowed");
      // The poison's write is behind the records and waits out the SDK's own retries first: wait for its failure.
      Eventually.await("a failed store write", WAIT, () -> Optional.of(h.meters.find("sluice.consumer.store.failures")
          .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum()).filter(n -> n > 0));
      assertTrue(h.committed(0) <= poison.offset(), "committed past the unrecorded poison");
      // The poison's item is written behind, so later records of other keys may be handled meanwhile (the plain loop
      // does not hold a partition back as promptly as the Vert.x wrapper, whose OutageIT shows that); what never
      // happens is a commit past the unrecorded poison.
      RecordMetadata late = h.produce(0, "late", "ok");
      long holdUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < holdUntil) {
        assertTrue(h.committed(0) <= poison.offset(), "committed past the unrecorded poison");
        Thread.sleep(200);
      }

      ddb = EmbeddedDynamoDb.startPersistent(dir, port);
      h.awaitCommitted(0, late.offset() + 1, WAIT);
      assertEquals(QuarantineReason.SCHEMA_VIOLATION, h.item(poison).orElseThrow().reason());
      assertEquals(Map.of("warm", 1L, "behind", 1L, "elsewhere", 1L, "late", 1L), applicationsPerProduct());
      assertEquals(1, itemsOfGroup().size(), "the poison quarantined once");
    } finally {
      if (h != null) {
        h.close();
        h = null;
      }
      ddb.close();
      DataDirs.wipe(dir);
    }
  }

  @Test
  void aParkedEventIsReleasedWhenTheRetryingHeadOfItsKeyResolves(Engines engines) throws Exception {
    harness(engines, OrderingPolicy.KEY_ORDERED, 1, c -> c).startPollLoop();
    RecordMetadata head = h.produce(0, "K", "fail-4");
    h.awaitItem(head, QuarantineStatus.RETRYING, WAIT);
    RecordMetadata behind = h.produce(0, "K", "ok");
    RecordMetadata other = h.produce(0, "other", "ok");

    QuarantineItem parked = h.awaitItem(behind, QuarantineStatus.PARKED, WAIT);
    assertEquals(QuarantineReason.KEY_BLOCKED, parked.reason());
    h.awaitCommitted(0, other.offset() + 1, WAIT);
    assertTrue(h.handler.applied("other"), "another key flowed past the held one");

    h.awaitItem(head, QuarantineStatus.RESOLVED, WAIT);
    h.awaitItem(behind, QuarantineStatus.RESOLVED, WAIT);
    List<ScriptedHandler.Call> succeeded = h.handler.callsFor("K").stream().filter(ScriptedHandler.Call::succeeded)
        .toList();
    assertEquals(List.of(head.offset(), behind.offset()), succeeded.stream().map(ScriptedHandler.Call::offset).toList(),
        "applied in their original order");
    assertEquals(ConsumedEvent.Delivery.RELEASED, succeeded.get(1).delivery());
  }

  @Test
  void rebalancesAndARestartNeitherDuplicateItemsNorReplayWhatWasCommitted(Engines engines) throws Exception {
    harness(engines, OrderingPolicy.UNORDERED, 2, c -> c);
    QuarantiningPollLoop first = h.startPollLoop();
    RecordMetadata a1 = h.produce(0, "a1", "ok");
    RecordMetadata x1 = h.produceRaw(0, "x1", "{".getBytes(StandardCharsets.UTF_8), List.of());
    RecordMetadata b1 = h.produce(1, "b1", "ok");
    RecordMetadata r1 = h.produce(1, "r1", "reject");
    h.awaitCommitted(0, x1.offset() + 1, WAIT);
    h.awaitCommitted(1, r1.offset() + 1, WAIT);

    // A second instance joins: the group splits the partitions between them.
    QuarantiningPollLoop second = h.startPollLoop();
    Eventually.await("one partition each", WAIT, () -> first.assignment().size() == 1
        && second.assignment().size() == 1 ? Optional.of(true) : Optional.empty());
    RecordMetadata a2 = h.produce(0, "a2", "ok");
    RecordMetadata b2 = h.produce(1, "b2", "ok");
    RecordMetadata x2 = h.produceRaw(1, "x2", "{".getBytes(StandardCharsets.UTF_8), List.of());
    h.awaitCommitted(0, a2.offset() + 1, WAIT);
    h.awaitCommitted(1, x2.offset() + 1, WAIT);

    // The first leaves: the second takes everything over.
    h.stopPollLoop(first);
    Eventually.await("both partitions on the second", WAIT,
        () -> second.assignment().size() == 2 ? Optional.of(true) : Optional.empty());
    RecordMetadata a3 = h.produce(0, "a3", "ok");
    RecordMetadata b3 = h.produce(1, "b3", "ok");
    h.awaitCommitted(0, a3.offset() + 1, WAIT);
    h.awaitCommitted(1, b3.offset() + 1, WAIT);

    // A restart: a new instance of the group carries on from the commits.
    h.stopPollLoop(second);
    h.startPollLoop();
    RecordMetadata a4 = h.produce(0, "a4", "ok");
    h.awaitCommitted(0, a4.offset() + 1, WAIT);

    assertEquals(Map.of("a1", 1L, "b1", 1L, "a2", 1L, "b2", 1L, "a3", 1L, "b3", 1L, "a4", 1L),
        applicationsPerProduct(), "every good event applied once: nothing committed was handed over again");
    assertEquals(1, h.handler.callsFor("r1").size(), "the rejected event was not replayed");
    List<QuarantineItem> items = itemsOfGroup();
    assertEquals(List.of(h.idOf(r1), h.idOf(x1), h.idOf(x2)).stream().sorted().toList(),
        items.stream().map(QuarantineItem::id).sorted().toList(), "one item per diverted record");
    assertTrue(items.stream().allMatch(i -> i.status() == QuarantineStatus.QUARANTINED));
    assertEquals(QuarantineReason.NOT_A_CLOUDEVENT, h.item(x1).orElseThrow().reason());
  }
}
