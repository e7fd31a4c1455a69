package dev.sluice.quarantine.dedup;

import static dev.sluice.deploy.testing.MarkTableFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.MarkTableFixture;
import dev.sluice.quarantine.dedup.IdempotentHandler.Marking;
import dev.sluice.quarantine.dedup.IdempotentHandler.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The shared processed-events store against DynamoDB Local: one winner per event, expiry, TTL, and the decorator. */
@ExtendWith(EnginesExtension.class)
class DynamoProcessedEventsIT {
  private static final Duration WINDOW = Duration.ofMinutes(10);

  private MarkTableFixture t;
  private ProcessedEvents store;

  @BeforeEach
  void setUp(Engines engines) {
    t = new MarkTableFixture(engines, "processed-it", ProcessedEvents::ensureDynamoTable);
    store = instance();
  }

  @AfterEach
  void tearDown() throws Exception {
    t.close();
  }

  /** Another instance of the group: its own store object on the same table. */
  private ProcessedEvents instance() {
    return ProcessedEvents.inDynamo(t.vertx, t.dynamo, t.table, WINDOW, t.clock);
  }

  @Test
  void theFirstTimeIsTrueAndEveryLaterTimeFalse() throws Exception {
    assertFalse(await(store.seen("g", "e-1")));
    assertTrue(await(store.firstTime("g", "e-1")));
    assertFalse(await(store.firstTime("g", "e-1")));
    assertTrue(await(store.seen("g", "e-1")));
    assertTrue(await(store.firstTime("other-group", "e-1")), "each scope applies the event once");
    // Another instance of the group, with its own store object on the same table, sees the mark.
    assertFalse(await(instance().firstTime("g", "e-1")));
  }

  @Test
  void anExpiredMarkIsIgnoredAndReplaced() throws Exception {
    assertTrue(await(store.firstTime("g", "e-1")));
    t.clock.advance(WINDOW.minusMillis(1));
    assertTrue(await(store.seen("g", "e-1")));
    assertFalse(await(store.firstTime("g", "e-1")), "still inside the window");

    t.clock.advance(Duration.ofMillis(1));
    // DynamoDB deletes expired items only eventually (DynamoDB Local lazily): the item is still there, and ignored.
    assertEquals(1, t.items().size());
    assertFalse(await(store.seen("g", "e-1")));
    assertTrue(await(store.firstTime("g", "e-1")), "the expired mark is replaced");
    assertFalse(await(store.firstTime("g", "e-1")));
    assertEquals(1, t.items().size());
  }

  @Test
  void concurrentFirstTimesForOneEventHaveExactlyOneWinner() throws Exception {
    var otherInstance = instance();
    for (int round = 0; round < 5; round++) {
      String id = "race-" + round;
      List<Future<Boolean>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(store.firstTime("g", id));
        calls.add(otherInstance.firstTime("g", id));
      }
      await(Future.all(calls));
      assertEquals(1, calls.stream().filter(Future::result).count(), "winners for " + id);
    }
  }

  @Test
  void forgetMakesTheEventNewAgain() throws Exception {
    assertTrue(await(store.firstTime("g", "e-1")));
    await(store.forget("g", "e-1"));
    assertFalse(await(store.seen("g", "e-1")));
    assertTrue(await(store.firstTime("g", "e-1")));
    await(store.forget("g", "never-marked"));
  }

  @Test
  void marksKeepTheirStoredFormatAndTheTableHasTtlOn() throws Exception {
    await(store.firstTime("catalog-builder", "e-1"));
    Map<String, AttributeValue> item = t.items().get(0);
    long validUntil = t.clock.millis() + WINDOW.toMillis();
    assertEquals(Map.of(
        // sha256("15:catalog-buildere-1"): the key, a hash whatever the size of the id
        "pk", AttributeValue.fromS("6d03d7ef0668d445b1f3932b3842699f4eaf87190574a75b1f2f67b2266ee23d"),
        "validUntil", AttributeValue.fromN(Long.toString(validUntil)),
        // epoch seconds, rounded up
        "expiresAt", AttributeValue.fromN(Long.toString((validUntil + 999) / 1000))), item);

    t.assertEnsuredAgainWithTtlOn("expiresAt");
  }

  @Test
  void aMarkWrittenBeforeTheStoreKitIsStillSeen() throws Exception {
    // As DynamoProcessedEvents wrote it, by hand: existing tables must read the same after the refactor.
    long validUntil = t.clock.millis() + 60_000;
    t.dynamo.putItem(b -> b.tableName(t.table).item(Map.of(
        "pk", AttributeValue.fromS("6d03d7ef0668d445b1f3932b3842699f4eaf87190574a75b1f2f67b2266ee23d"),
        "validUntil", AttributeValue.fromN(Long.toString(validUntil)),
        "expiresAt", AttributeValue.fromN(Long.toString((validUntil + 999) / 1000)))));
    assertTrue(await(store.seen(EventKey.of("catalog-builder", "e-1"))));
    assertFalse(await(store.firstTime(EventKey.of("catalog-builder", "e-1"))));
  }

  /** Two instances of a group get the same event at once (a rebalance): MARK_BEFORE lets exactly one apply it. */
  @Test
  void markBeforeAppliesAnEventOnceAcrossInstances() throws Exception {
    AtomicInteger applied = new AtomicInteger();
    List<IdempotentHandler<String>> instances = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      instances.add(new IdempotentHandler<String>(t.vertx, instance(), Marking.MARK_BEFORE, Duration.ofSeconds(5),
          id -> EventKey.of("catalog-builder", "/shop", id), id -> {
            applied.incrementAndGet();
            return Future.succeededFuture();
          }));
    }
    List<Future<Outcome>> outcomes = new ArrayList<>();
    for (IdempotentHandler<String> instance : instances) {
      outcomes.add(instance.handle("e-1"));
      outcomes.add(instance.handle("e-1"));
    }
    await(Future.all(outcomes));
    assertEquals(1, applied.get());
    assertEquals(1, outcomes.stream().filter(o -> o.result() == Outcome.HANDLED).count());
  }

  /** The default (MARK_AFTER_SUCCESS): a redelivery to another instance, after the first succeeded, is skipped. */
  @Test
  void markAfterSuccessSkipsARedeliveryToAnotherInstanceAndRetriesAFailure() throws Exception {
    AtomicInteger applied = new AtomicInteger();
    AtomicInteger attempts = new AtomicInteger();
    Function<String, Future<Void>> apply = id -> {
      if (attempts.incrementAndGet() == 1) {
        return Future.failedFuture(new IllegalStateException("downstream down"));
      }
      applied.incrementAndGet();
      Promise<Void> later = Promise.promise();
      t.vertx.setTimer(5, timer -> later.complete());
      return later.future();
    };
    var first = IdempotentHandler.of(t.vertx, store, (String id) -> EventKey.of("catalog-builder", id), apply);
    var second = IdempotentHandler.of(t.vertx, instance(), (String id) -> EventKey.of("catalog-builder", id), apply);

    ExecutionException failed = assertThrows(ExecutionException.class, () -> await(first.handle("e-1")));
    assertEquals("downstream down", failed.getCause().getMessage());
    assertEquals(Outcome.HANDLED, await(first.handle("e-1")), "no mark was left: the retry runs");
    assertEquals(Outcome.SKIPPED_DUPLICATE, await(second.handle("e-1")), "redelivered after a rebalance");
    assertEquals(1, applied.get());
  }
}
