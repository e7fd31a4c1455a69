package dev.sluice.quarantine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The store's conditional writes, against DynamoDB Local: every transition happens once, or not at all. */
@ExtendWith(EnginesExtension.class)
class QuarantineStoreIT {
  private Vertx vertx;
  private DynamoDbClient dynamo;
  private QuarantineStore store;
  private ConsumerWrites writes;
  private OperatorActions operator;

  @BeforeEach
  void setUp(Engines engines) {
    AwsConfig aws = AwsConfig.local(engines.dynamoEndpoint(), engines.sqsEndpoint());
    String table = "store-it-" + UUID.randomUUID().toString().substring(0, 8);
    vertx = Vertx.vertx();
    dynamo = AwsClients.dynamo(aws);
    QuarantineTable.ensure(dynamo, table);
    store = new QuarantineStore(vertx, dynamo, table, Clock.systemUTC());
    writes = store.consumer();
    operator = store.operator();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    dynamo.close();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(Future<?> f) throws Exception {
    try {
      await(f);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private static QuarantineItem item(long offset, QuarantineReason reason) {
    Instant now = Instant.now();
    return new QuarantineItem(QuarantineItem.idFor("g", "retail", 0, offset), QuarantineStatus.QUARANTINED, "retail",
        "g", "retail", 0, offset, Optional.of("k"), "{\"id\":\"p\"}".getBytes(StandardCharsets.UTF_8),
        List.of(KafkaHeader.of("ce_type", "retail.product.created")), Optional.of("e-" + offset),
        Optional.of("retail.product.created"), reason, "SchemaViolation", "bad price",
        List.of(new Violation("/data/price", "exclusiveMinimum", "0 is not greater than 0")), 0, now, now,
        Optional.empty(), 0, List.of(new AuditEntry(now, "QUARANTINED", "consumer:g", "first")));
  }

  /** An item over DynamoDB's 400 KB: what the consumer measures before writing, so that it never sends one. */
  private static QuarantineItem oversized(long offset) {
    QuarantineItem small = item(offset, QuarantineReason.NOT_A_CLOUDEVENT);
    return new QuarantineItem(small.id(), small.status(), small.stream(), small.group(), small.topic(),
        small.partition(), small.offset(), small.key(), new byte[500 * 1024], small.headers(), small.eventId(),
        small.eventType(), small.reason(), small.errorClass(), small.errorMessage(), small.violations(),
        small.attempts(), small.quarantinedAt(), small.updatedAt(), small.editedData(), small.redriveCount(),
        small.history());
  }

  @Test
  void dynamoDbRefusesAnItemTooBigForGoodAloneOrInABatchAndTheRefusalIsToldByItsCode() throws Exception {
    assertTrue(!ConsumerWrites.fits(oversized(1)), "the measure says so before any request");
    Throwable alone = failureOf(writes.createAllIfAbsent(List.of(oversized(1))));
    assertEquals(Optional.of(StoreRefusal.VALIDATION), StoreRefusal.of(alone), alone.toString());
    Throwable inBatch = failureOf(writes.createAllIfAbsent(List.of(item(2, QuarantineReason.MALFORMED),
        oversized(3))));
    assertEquals(Optional.of(StoreRefusal.VALIDATION), StoreRefusal.of(inBatch), inBatch.toString());
    assertEquals(Optional.empty(), await(store.get(item(2, QuarantineReason.MALFORMED).id())),
        "a refused transaction wrote nothing");
  }

  @Test
  void quarantiningTheSameRecordTwiceKeepsOneUnchangedItem() throws Exception {
    QuarantineItem first = item(7, QuarantineReason.SCHEMA_VIOLATION);
    assertEquals(ConsumerWrites.Write.CREATED, await(writes.quarantine(first)));

    // A crash between the write and the offset commit re-delivers the record: the same id, nothing new written.
    QuarantineItem again = item(7, QuarantineReason.RETRIES_EXHAUSTED);
    assertEquals(ConsumerWrites.Write.ALREADY_PRESENT, await(writes.quarantine(again)));

    QuarantineItem stored = await(store.get(first.id())).orElseThrow();
    assertEquals(QuarantineReason.SCHEMA_VIOLATION, stored.reason());
    assertEquals(List.of(new Violation("/data/price", "exclusiveMinimum", "0 is not greater than 0")),
        stored.violations());
    assertEquals("{\"id\":\"p\"}", new String(stored.payload(), StandardCharsets.UTF_8));
    assertEquals(1, await(store.list(QuarantineQuery.all(50))).size());
  }

  @Test
  void aRedriveIsGrantedOnceAndOnlyFromQuarantined() throws Exception {
    QuarantineItem item = item(1, QuarantineReason.HANDLER_REJECTED);
    await(writes.quarantine(item));

    QuarantineItem redriven = await(operator.requestRedrive(item.id(), Optional.of("{\"id\":\"fixed\"}"), "alice"));
    assertEquals(QuarantineStatus.REDRIVEN, redriven.status());
    assertEquals(Optional.of("{\"id\":\"fixed\"}"), redriven.editedData());
    assertEquals(1, redriven.redriveCount());

    var conflict = assertInstanceOf(StoreException.StatusConflict.class,
        failureOf(operator.requestRedrive(item.id(), Optional.empty(), "bob")));
    assertEquals(QuarantineStatus.REDRIVEN, conflict.actual());

    assertInstanceOf(StoreException.NotFound.class,
        failureOf(operator.requestRedrive("no-such-item", Optional.empty(), "bob")));
  }

  @Test
  void aFailedRedriveGoesBackToQuarantinedWithTheNewFailureAndAttempts() throws Exception {
    QuarantineItem item = item(2, QuarantineReason.RETRIES_EXHAUSTED);
    await(writes.quarantine(item));
    await(operator.requestRedrive(item.id(), Optional.empty(), "alice"));

    QuarantineItem back = await(operator.requarantine(item.id(), QuarantineReason.RETRIES_EXHAUSTED,
        "java.lang.IllegalStateException", "still missing", List.of(), 3, "consumer:g"));

    assertEquals(QuarantineStatus.QUARANTINED, back.status());
    assertEquals(3, back.attempts());
    assertEquals("still missing", back.errorMessage());
    assertEquals(List.of("QUARANTINED", "REDRIVE", "REDRIVE_FAILED"),
        back.history().stream().map(AuditEntry::action).toList());
    assertInstanceOf(StoreException.StatusConflict.class, failureOf(operator.resolve(item.id(), "consumer:g")),
        "only a REDRIVEN item can be resolved");
  }

  @Test
  void listsAreNewestFirstAndFilteredByStatusAndGroup() throws Exception {
    for (long offset = 10; offset < 13; offset++) {
      await(writes.quarantine(item(offset, QuarantineReason.SCHEMA_VIOLATION)));
      Thread.sleep(5); // distinct quarantine times
    }
    await(operator.requestRedrive(QuarantineItem.idFor("g", "retail", 0, 11), Optional.empty(), "alice"));

    List<QuarantineItem> quarantined = await(store.list(new QuarantineQuery(
        Optional.of(QuarantineStatus.QUARANTINED), Optional.of("retail"), Optional.of("g"), 10)));
    assertEquals(List.of(12L, 10L), quarantined.stream().map(QuarantineItem::offset).toList());
    List<QuarantineItem> all = await(store.list(QuarantineQuery.all(10)));
    assertEquals(List.of(12L, 11L, 10L), all.stream().map(QuarantineItem::offset).toList());
    assertTrue(await(store.list(new QuarantineQuery(Optional.empty(), Optional.empty(), Optional.of("other"), 10)))
        .isEmpty());
  }

  private static QuarantineItem open(long offset, QuarantineStatus status, String key) {
    Instant now = Instant.now();
    return new QuarantineItem(QuarantineItem.idFor("g", "retail", 3, offset), status, "retail", "g", "retail", 3,
        offset, Optional.ofNullable(key), "{}".getBytes(StandardCharsets.UTF_8), List.of(), Optional.of("e-" + offset),
        Optional.of("retail.product.created"),
        status == QuarantineStatus.PARKED ? QuarantineReason.KEY_BLOCKED : QuarantineReason.HANDLER_FAILED,
        "E", "m", List.of(), 2, now, now, Optional.empty(), 0, List.of(new AuditEntry(now, "X", "consumer:g", "")),
        List.of(HandlerAttempt.failed(now, HandlerAttempt.Tier.IN_PLACE, new IllegalStateException("m")),
            HandlerAttempt.failed(now, HandlerAttempt.Tier.IN_PLACE, new IllegalStateException("m"))),
        status == QuarantineStatus.RETRYING ? Optional.of(now.plusSeconds(5)) : Optional.empty(),
        status == QuarantineStatus.PARKED ? Optional.of("head") : Optional.empty(), 0);
  }

  @Test
  void attemptsKeepTheirStackTracesThroughCreateAndSettle() throws Exception {
    QuarantineItem item = open(60, QuarantineStatus.RETRYING, "k");
    assertEquals(Optional.empty(), await(writes.createIfAbsent(item)));
    HandlerAttempt traced = HandlerAttempt.failed(Instant.now(), HandlerAttempt.Tier.DELAYED,
        new IllegalArgumentException("still bad", new java.io.UncheckedIOException(new java.io.IOException("io"))));
    HandlerAttempt untraced = new HandlerAttempt(Instant.now(), HandlerAttempt.Tier.DELAYED, "E", "no trace");
    await(writes.settle(item.id(), QuarantineStatus.RETRYING, OptionalInt.of(2), new Settlement.Quarantined(
        QuarantineReason.RETRIES_EXHAUSTED, "E", "m", List.of(), List.of(traced, untraced), 1), "consumer:g"));

    List<HandlerAttempt> log = await(store.get(item.id())).orElseThrow().attemptLog();
    assertEquals(4, log.size());
    assertEquals(item.attemptLog().get(0).stackTrace(), log.get(0).stackTrace(), "written with the item");
    String trace = log.get(2).stackTrace().orElseThrow();
    assertEquals(traced.stackTrace().orElseThrow(), trace, "appended by the settle");
    assertTrue(trace.startsWith("java.lang.IllegalArgumentException: still bad\n\tat dev.sluice.quarantine.store."
        + "QuarantineStoreIT.attemptsKeepTheirStackTracesThroughCreateAndSettle(QuarantineStoreIT.java:"), trace);
    assertTrue(trace.contains("\nCaused by: java.io.UncheckedIOException: java.io.IOException: io\n"), trace);
    assertTrue(trace.contains("\nCaused by: java.io.IOException: io\n"), trace);
    assertEquals(Optional.empty(), log.get(3).stackTrace());
  }

  @Test
  void aReplayedCreateGetsTheItemAlreadyStoredInsteadOfASecondOne() throws Exception {
    QuarantineItem first = open(40, QuarantineStatus.RETRYING, "k");
    assertEquals(Optional.empty(), await(writes.createIfAbsent(first)));
    Optional<QuarantineItem> again = await(writes.createIfAbsent(open(40, QuarantineStatus.QUARANTINED, "k")));
    assertEquals(QuarantineStatus.RETRYING, again.orElseThrow().status());
    assertEquals(first.nextAttemptAt().map(Instant::toEpochMilli), again.get().nextAttemptAt().map(Instant::toEpochMilli));
    assertEquals(2, again.get().attemptLog().size());
    assertEquals("java.lang.IllegalStateException", again.get().attemptLog().get(0).errorClass());
  }

  @Test
  void aBatchIsWrittenInOneTransactionAndItsAnswerIsParallelToTheItems() throws Exception {
    List<QuarantineItem> batch = new java.util.ArrayList<>();
    for (long o = 100; o < 100 + ConsumerWrites.MAX_BATCH_ITEMS; o++) {
      batch.add(open(o, o % 2 == 0 ? QuarantineStatus.QUARANTINED : QuarantineStatus.PARKED, "k" + (o % 7)));
    }
    List<Optional<QuarantineItem>> created = await(writes.createAllIfAbsent(batch));
    assertEquals(batch.size(), created.size());
    assertTrue(created.stream().allMatch(Optional::isEmpty), "every item is new");
    assertEquals(batch.size(), await(store.openItems("g", "retail", 3)).size());
    assertEquals(QuarantineStatus.PARKED, await(store.get(batch.get(1).id())).orElseThrow().status());
  }

  @Test
  void aBatchWithItemsAlreadyStoredWritesOnlyTheNewOnesAndLearnsTheStoredOnes() throws Exception {
    // A replay after a crash: two of the batch's records were recorded before, and one was settled since.
    QuarantineItem settled = open(201, QuarantineStatus.RETRYING, "k");
    await(writes.createIfAbsent(settled));
    await(writes.settle(settled.id(), QuarantineStatus.RETRYING, OptionalInt.empty(), new Settlement.Resolved(
        List.of(HandlerAttempt.succeeded(Instant.now(), HandlerAttempt.Tier.DELAYED)), 1, "ok"), "consumer:g"));
    await(writes.createIfAbsent(open(203, QuarantineStatus.QUARANTINED, "j")));

    List<QuarantineItem> batch = List.of(open(200, QuarantineStatus.QUARANTINED, "a"),
        open(201, QuarantineStatus.QUARANTINED, "k"), open(202, QuarantineStatus.PARKED, "k"),
        open(203, QuarantineStatus.PARKED, "j"));
    List<Optional<QuarantineItem>> answer = await(writes.createAllIfAbsent(batch));

    assertEquals(Optional.empty(), answer.get(0));
    assertEquals(QuarantineStatus.RESOLVED, answer.get(1).orElseThrow().status(), "the stored item, not overwritten");
    assertEquals(Optional.empty(), answer.get(2));
    assertEquals(QuarantineStatus.QUARANTINED, answer.get(3).orElseThrow().status());
    assertEquals(QuarantineStatus.RESOLVED, await(store.get(settled.id())).orElseThrow().status());
    assertEquals(List.of(200L, 202L, 203L),
        await(store.openItems("g", "retail", 3)).stream().map(OpenItem::offset).toList());
    // And again, whole: every item exists now, none is written twice.
    assertTrue(await(writes.createAllIfAbsent(batch)).stream().allMatch(Optional::isPresent));
  }

  @Test
  void theLaneIndexHoldsOnlyOpenItemsOfOnePartitionInOffsetOrder() throws Exception {
    await(writes.createIfAbsent(open(52, QuarantineStatus.PARKED, "k")));
    await(writes.createIfAbsent(open(50, QuarantineStatus.RETRYING, "k")));
    await(writes.createIfAbsent(open(51, QuarantineStatus.QUARANTINED, "j")));
    await(writes.quarantine(item(50, QuarantineReason.SCHEMA_VIOLATION))); // partition 0: another lane

    List<OpenItem> lane = await(store.openItems("g", "retail", 3));
    assertEquals(List.of(50L, 51L, 52L), lane.stream().map(OpenItem::offset).toList());
    assertEquals(List.of(QuarantineStatus.RETRYING, QuarantineStatus.QUARANTINED, QuarantineStatus.PARKED),
        lane.stream().map(OpenItem::status).toList());
    assertEquals(Optional.of("k"), lane.get(0).key());

    String head = QuarantineItem.idFor("g", "retail", 3, 50);
    await(writes.settle(head, QuarantineStatus.RETRYING, OptionalInt.of(2), new Settlement.Resolved(
        List.of(HandlerAttempt.succeeded(Instant.now(), HandlerAttempt.Tier.DELAYED)), 1, "ok"), "consumer:g"));
    await(operator.discard(QuarantineItem.idFor("g", "retail", 3, 51), "not needed", "alice"));
    assertEquals(List.of(52L), await(store.openItems("g", "retail", 3)).stream().map(OpenItem::offset).toList(),
        "settled items leave the index");
    Map<String, OpenItem> states = await(store.states(List.of(head, "no-such-id")));
    assertEquals(QuarantineStatus.RESOLVED, states.get(head).status());
    assertEquals(1, states.size());
  }

  @Test
  void aRetryIsSettledOnlyAtTheAttemptCountItWasScheduledWith() throws Exception {
    QuarantineItem item = open(60, QuarantineStatus.RETRYING, "k");
    await(writes.createIfAbsent(item));
    Instant next = Instant.now().plusSeconds(30);
    QuarantineItem again = await(writes.settle(item.id(), QuarantineStatus.RETRYING, OptionalInt.of(2),
        new Settlement.Retrying("E", "still", next,
            List.of(HandlerAttempt.failed(Instant.now(), HandlerAttempt.Tier.DELAYED, new IllegalStateException("s"))),
            1), "consumer:g"));
    assertEquals(QuarantineStatus.RETRYING, again.status());
    assertEquals(3, again.attempts());
    assertEquals(Optional.of(next.toEpochMilli()), again.nextAttemptAt().map(Instant::toEpochMilli));
    assertEquals(1, again.generation());

    // A duplicate message scheduled at attempt 2 comes late: it must not settle the item a second time.
    var stale = assertInstanceOf(StoreException.StatusConflict.class, failureOf(writes.settle(item.id(),
        QuarantineStatus.RETRYING, OptionalInt.of(2), new Settlement.Resolved(List.of(), 1, "ok"), "c")));
    assertEquals(QuarantineStatus.RETRYING, stale.actual());

    QuarantineItem dead = await(writes.settle(item.id(), QuarantineStatus.RETRYING, OptionalInt.of(3),
        new Settlement.Quarantined(QuarantineReason.RETRIES_EXHAUSTED, "E", "gave up", List.of(), List.of(
            HandlerAttempt.failed(Instant.now(), HandlerAttempt.Tier.DELAYED, new IllegalStateException("g"))), 2),
        "consumer:g"));
    assertEquals(QuarantineStatus.QUARANTINED, dead.status());
    assertEquals(QuarantineReason.RETRIES_EXHAUSTED, dead.reason());
    assertEquals(4, dead.attemptLog().size());
    assertTrue(dead.nextAttemptAt().isEmpty());
    assertEquals(List.of(60L), await(store.openItems("g", "retail", 3)).stream().map(OpenItem::offset).toList(),
        "quarantined is still open: it holds its key");
  }

  @Test
  void discardIsConditionalAndFinal() throws Exception {
    QuarantineItem parked = open(70, QuarantineStatus.PARKED, "k");
    await(writes.createIfAbsent(parked));
    QuarantineItem gone = await(operator.discard(parked.id(), "duplicate order", "alice"));
    assertEquals(QuarantineStatus.DISCARDED, gone.status());
    assertEquals("DISCARDED", gone.history().get(gone.history().size() - 1).action());
    assertEquals("alice", gone.history().get(gone.history().size() - 1).actor());
    var again = assertInstanceOf(StoreException.StatusConflict.class,
        failureOf(operator.discard(parked.id(), "x", "bob")));
    assertEquals(QuarantineStatus.DISCARDED, again.actual());
    assertInstanceOf(StoreException.StatusConflict.class, failureOf(writes.settle(parked.id(), QuarantineStatus.PARKED,
        OptionalInt.empty(), new Settlement.Resolved(List.of(), 0, "released"), "consumer:g")),
        "a release that comes later finds it settled");
    assertInstanceOf(StoreException.NotFound.class, failureOf(operator.discard("no-such-item", "x", "bob")));
  }
}
