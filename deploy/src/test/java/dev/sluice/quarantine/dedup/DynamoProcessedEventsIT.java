package dev.sluice.quarantine.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.quarantine.dedup.IdempotentHandler.Marking;
import dev.sluice.quarantine.dedup.IdempotentHandler.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The shared processed-events store against DynamoDB Local: one winner per event, expiry, TTL, and the decorator. */
@ExtendWith(EnginesExtension.class)
class DynamoProcessedEventsIT {
  private static final Duration WINDOW = Duration.ofMinutes(10);

  private Vertx vertx;
  private DynamoDbClient dynamo;
  private String table;
  private HandClock clock;
  private DynamoProcessedEvents store;

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
    table = "processed-it-" + UUID.randomUUID().toString().substring(0, 8);
    DynamoProcessedEvents.ensureTable(dynamo, table);
    clock = new HandClock();
    store = new DynamoProcessedEvents(vertx, dynamo, table, WINDOW, clock);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
    dynamo.close();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theFirstTimeIsTrueAndEveryLaterTimeFalse() throws Exception {
    assertFalse(await(store.seen("g", "e-1")));
    assertTrue(await(store.firstTime("g", "e-1")));
    assertFalse(await(store.firstTime("g", "e-1")));
    assertTrue(await(store.seen("g", "e-1")));
    assertTrue(await(store.firstTime("other-group", "e-1")), "each scope applies the event once");
    // Another instance of the group, with its own store object on the same table, sees the mark.
    var otherInstance = new DynamoProcessedEvents(vertx, dynamo, table, WINDOW, clock);
    assertFalse(await(otherInstance.firstTime("g", "e-1")));
  }

  @Test
  void anExpiredMarkIsIgnoredAndReplaced() throws Exception {
    assertTrue(await(store.firstTime("g", "e-1")));
    clock.advance(WINDOW.minusMillis(1));
    assertTrue(await(store.seen("g", "e-1")));
    assertFalse(await(store.firstTime("g", "e-1")), "still inside the window");

    clock.advance(Duration.ofMillis(1));
    // DynamoDB deletes expired items only eventually (DynamoDB Local lazily): the item is still there, and ignored.
    assertEquals(1, dynamo.scan(b -> b.tableName(table)).count());
    assertFalse(await(store.seen("g", "e-1")));
    assertTrue(await(store.firstTime("g", "e-1")), "the expired mark is replaced");
    assertFalse(await(store.firstTime("g", "e-1")));
    assertEquals(1, dynamo.scan(b -> b.tableName(table)).count());
  }

  @Test
  void concurrentFirstTimesForOneEventHaveExactlyOneWinner() throws Exception {
    var otherInstance = new DynamoProcessedEvents(vertx, dynamo, table, WINDOW, clock);
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
  void marksCarryTheTtlAttributeAndTheTableHasTtlOn() throws Exception {
    await(store.firstTime("g", "x".repeat(10_000)));
    Map<String, AttributeValue> item = dynamo.scan(b -> b.tableName(table)).items().get(0);
    long validUntil = clock.millis() + WINDOW.toMillis();
    assertEquals(validUntil, Long.parseLong(item.get("validUntil").n()));
    assertEquals((validUntil + 999) / 1000, Long.parseLong(item.get("expiresAt").n()), "epoch seconds, rounded up");
    assertEquals(64, item.get("pk").s().length(), "the key is a hash, whatever the size of the id");

    DynamoProcessedEvents.ensureTable(dynamo, table); // again: nothing to do, no error
    var ttl = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
    assertEquals("expiresAt", ttl.attributeName());
    assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
  }

  /** Two instances of a group get the same event at once (a rebalance): MARK_BEFORE lets exactly one apply it. */
  @Test
  void markBeforeAppliesAnEventOnceAcrossInstances() throws Exception {
    AtomicInteger applied = new AtomicInteger();
    List<IdempotentHandler<String>> instances = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      instances.add(new IdempotentHandler<String>(vertx,
          new DynamoProcessedEvents(vertx, dynamo, table, WINDOW, clock), Marking.MARK_BEFORE, Duration.ofSeconds(5),
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
      vertx.setTimer(5, t -> later.complete());
      return later.future();
    };
    var first = IdempotentHandler.of(vertx, store, (String id) -> EventKey.of("catalog-builder", id), apply);
    var second = IdempotentHandler.of(vertx, new DynamoProcessedEvents(vertx, dynamo, table, WINDOW, clock),
        (String id) -> EventKey.of("catalog-builder", id), apply);

    ExecutionException failed = assertThrows(ExecutionException.class, () -> await(first.handle("e-1")));
    assertEquals("downstream down", failed.getCause().getMessage());
    assertEquals(Outcome.HANDLED, await(first.handle("e-1")), "no mark was left: the retry runs");
    assertEquals(Outcome.SKIPPED_DUPLICATE, await(second.handle("e-1")), "redelivered after a rebalance");
    assertEquals(1, applied.get());
  }
}
