package dev.sluice.storekit.marks;

import static dev.sluice.deploy.testing.MarkTableFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.MarkTableFixture;
import dev.sluice.deploy.testing.SdkCalls;
import dev.sluice.deploy.testing.StallingRelay;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * DynamoMarks against DynamoDB Local, in both stored layouts: the conditional write, expiry judged by the injected
 * clock, forget, the items' exact attributes, and what a missing table and a stalled DynamoDB do to a call.
 *
 * <p>Time is moved with the hand clock, never waited for. DynamoDB Local does delete items whose TTL attribute has
 * passed in real time, within seconds; so the hand clock runs an hour ahead of the real time, every TTL attribute the
 * tests write lies in DynamoDB Local's future, and an item the hand clock has moved past is exactly an expired item that
 * DynamoDB has not deleted yet.
 */
@ExtendWith(EnginesExtension.class)
class DynamoMarksIT {
  private static final Duration WINDOW = Duration.ofMinutes(10);
  private static final StoreKey KEY = StoreKey.of("g", "e-1");
  /** How far the hand clock runs ahead of the real time: more than any window a test moves through. */
  private static final Duration AHEAD = Duration.ofHours(1);

  /** A value with an attribute of its own, as the gateway's marks carry where an event was appended. */
  private static final MarkCodec<String> TOPIC = new MarkCodec<>() {
    @Override
    public Map<String, AttributeValue> toItem(String value) {
      return Map.of("topic", AttributeValue.fromS(value));
    }

    @Override
    public String fromItem(Map<String, AttributeValue> item) {
      return item.get("topic").s();
    }
  };

  /** The two stored layouts, each with what its items look like. */
  enum Layout {
    /** The gateway's: the end of the window in epoch seconds is also the TTL attribute. */
    EPOCH_SECONDS(MarkLayout.epochSeconds("pk", "expiresAt")) {
      @Override
      Instant windowEnd(Instant markedAt) {
        return markedAt.truncatedTo(ChronoUnit.SECONDS).plus(WINDOW);
      }

      @Override
      Map<String, AttributeValue> expiry(Instant windowEnd) {
        return Map.of("expiresAt", n(windowEnd.getEpochSecond()));
      }
    },
    /** The consumers': the end of the window in epoch millis, and the TTL in seconds (rounded up) beside it. */
    EPOCH_MILLIS(MarkLayout.epochMillis("pk", "validUntil", "expiresAt")) {
      @Override
      Instant windowEnd(Instant markedAt) {
        return markedAt.plus(WINDOW);
      }

      @Override
      Map<String, AttributeValue> expiry(Instant windowEnd) {
        long seconds = windowEnd.getEpochSecond() + (windowEnd.getNano() > 0 ? 1 : 0);
        return Map.of("validUntil", n(windowEnd.toEpochMilli()), "expiresAt", n(seconds));
      }
    };

    final MarkTable<String> table;

    Layout(MarkLayout layout) {
      this.table = MarkTable.of(layout, TOPIC);
    }

    /** The first instant at which a mark made at {@code markedAt} is no longer valid. */
    abstract Instant windowEnd(Instant markedAt);

    /** The expiry attributes of a mark whose window ends at {@code windowEnd}. */
    abstract Map<String, AttributeValue> expiry(Instant windowEnd);

    /** The whole item, as the stores wrote it before the store kit and still must. */
    Map<String, AttributeValue> item(StoreKey key, String topic, Instant windowEnd) {
      Map<String, AttributeValue> item = new HashMap<>(expiry(windowEnd));
      item.put("pk", AttributeValue.fromS(key.value()));
      item.put("topic", AttributeValue.fromS(topic));
      return item;
    }
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  private Engines engines;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void setUp(Engines engines) {
    this.engines = engines;
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  /**
   * A new table made by the layout's own ensure. Its clock stands an hour ahead of the real time (see above), 0.4 s past
   * a whole second, so that rounding up to whole seconds shows.
   */
  private MarkTableFixture table(Layout layout) {
    MarkTableFixture t = new MarkTableFixture(engines, "marks-it", layout.table::ensure);
    toClose.add(t);
    Instant now = t.clock.instant();
    t.clock.advance(Duration.between(now, now.plus(AHEAD).truncatedTo(ChronoUnit.SECONDS).plusMillis(400)));
    return t;
  }

  /** A process's marks on {@code t}'s table: another call gives another instance, as in another process. */
  private static DynamoMarks<String> marks(Layout layout, MarkTableFixture t) {
    return layout.table.inDynamo(t.vertx, t.dynamo, t.table, MarkWindow.of(WINDOW, t.clock));
  }

  private static Map<String, AttributeValue> storedItem(MarkTableFixture t, StoreKey key) {
    return t.dynamo.getItem(b -> b.tableName(t.table).key(Map.of("pk", AttributeValue.fromS(key.value())))
        .consistentRead(true)).item();
  }

  private static Throwable failureOf(Future<?> f) {
    return assertThrows(ExecutionException.class, () -> await(f)).getCause();
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void markFirstWritesTheKeyTheExpiryAndTheValueAsTheLayoutSays(Layout layout) throws Exception {
    MarkTableFixture t = table(layout);
    Instant markedAt = t.clock.instant();
    assertTrue(await(marks(layout, t).markFirst(KEY, "retail")));

    assertEquals(List.of(layout.item(KEY, "retail", layout.windowEnd(markedAt))), t.items());
    t.assertEnsuredAgainWithTtlOn("expiresAt");
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void aSecondMarkWithinTheWindowIsRefusedAndTheFirstValueStands(Layout layout) throws Exception {
    MarkTableFixture t = table(layout);
    DynamoMarks<String> marks = marks(layout, t);
    Instant markedAt = t.clock.instant();
    assertTrue(await(marks.markFirst(KEY, "retail")));
    Map<String, AttributeValue> first = storedItem(t, KEY);

    assertFalse(await(marks.markFirst(KEY, "other")), "a lost condition is an answer, not an error");
    t.clock.advance(Duration.between(t.clock.instant(), layout.windowEnd(markedAt).minusMillis(1)));
    DynamoMarks<String> elsewhere = marks(layout, t);
    assertFalse(await(elsewhere.markFirst(KEY, "other")), "still inside the window, in another process too");

    assertEquals(Optional.of("retail"), await(marks.find(KEY)));
    assertEquals(Optional.of("retail"), await(elsewhere.find(KEY)));
    assertEquals(first, storedItem(t, KEY), "the refused writes changed nothing");
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void ofConcurrentMarksOfOneKeyExactlyOneWinsAndEveryoneReadsItsValue(Layout layout) throws Exception {
    MarkTableFixture t = table(layout);
    List<DynamoMarks<String>> processes = List.of(marks(layout, t), marks(layout, t));
    for (int round = 0; round < 3; round++) {
      StoreKey key = StoreKey.of("g", "race-" + round);
      List<Future<Boolean>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(processes.get(i % 2).markFirst(key, "value-" + i));
      }
      await(Future.join(calls));
      List<Integer> winners = new ArrayList<>();
      for (int i = 0; i < calls.size(); i++) {
        if (calls.get(i).result()) {
          winners.add(i);
        }
      }
      assertEquals(1, winners.size(), "winners: " + winners);
      for (DynamoMarks<String> p : processes) {
        assertEquals(Optional.of("value-" + winners.get(0)), await(p.find(key)));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void findIgnoresAMarkWhoseWindowEndedThoughDynamoDbStillHasTheItem(Layout layout) throws Exception {
    MarkTableFixture t = table(layout);
    DynamoMarks<String> marks = marks(layout, t);
    Instant windowEnd = layout.windowEnd(t.clock.instant());
    assertEquals(Optional.empty(), await(marks.find(KEY)), "never marked");
    assertTrue(await(marks.markFirst(KEY, "retail")));

    t.clock.advance(Duration.between(t.clock.instant(), windowEnd.minusMillis(1)));
    assertEquals(Optional.of("retail"), await(marks.find(KEY)), "the last instant of the window");

    t.clock.advance(Duration.ofMillis(1));
    assertEquals(Optional.empty(), await(marks.find(KEY)));
    assertEquals("retail", storedItem(t, KEY).get("topic").s(), "the expired item is still in the table");

    assertTrue(await(marks.markFirst(KEY, "other")), "an expired mark is replaced");
    assertEquals(Optional.of("other"), await(marks.find(KEY)));
    assertEquals(List.of(layout.item(KEY, "other", layout.windowEnd(t.clock.instant()))), t.items());
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void forgetDeletesTheItem(Layout layout) throws Exception {
    MarkTableFixture t = table(layout);
    DynamoMarks<String> marks = marks(layout, t);
    assertTrue(await(marks.markFirst(KEY, "retail")));

    await(marks.forget(KEY));
    assertEquals(Map.of(), storedItem(t, KEY), "deleted, not just marked expired");
    assertEquals(Optional.empty(), await(marks.find(KEY)));
    assertTrue(await(marks.markFirst(KEY, "other")), "the key counts as new again");

    await(marks.forget(StoreKey.of("g", "never-marked")));
    assertEquals(1, t.items().size());
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void itemsWrittenBeforeTheStoreKitAreReadTheSame(Layout layout) throws Exception {
    MarkTableFixture t = table(layout);
    DynamoMarks<String> marks = marks(layout, t);
    StoreKey live = StoreKey.of("g", "live");
    StoreKey over = StoreKey.of("g", "over");
    Instant now = t.clock.instant();
    // As the gateway's and the consumers' stores wrote them by hand, before the store kit.
    t.dynamo.putItem(b -> b.tableName(t.table).item(layout.item(live, "retail", now.plusSeconds(60))));
    t.dynamo.putItem(b -> b.tableName(t.table).item(layout.item(over, "retail", now.minusSeconds(1))));

    assertEquals(Optional.of("retail"), await(marks.find(live)));
    assertFalse(await(marks.markFirst(live, "other")), "the earlier mark stands");
    assertEquals(Optional.empty(), await(marks.find(over)), "its window ended a second ago");
    assertTrue(await(marks.markFirst(over, "other")));
    assertEquals(Optional.of("other"), await(marks.find(over)));
  }

  /**
   * The code defines no answer for a table that is not there: every call fails with DynamoDB's
   * ResourceNotFoundException, and in particular markFirst does not pass it off as "marked before".
   */
  @Test
  void onAMissingTableEveryCallFailsWithResourceNotFound() throws Exception {
    MarkTableFixture t = table(Layout.EPOCH_MILLIS);
    DynamoMarks<String> missing = Layout.EPOCH_MILLIS.table.inDynamo(t.vertx, t.dynamo, t.table + "-missing",
        MarkWindow.of(WINDOW, t.clock));

    assertInstanceOf(ResourceNotFoundException.class, failureOf(missing.markFirst(KEY, "retail")));
    assertInstanceOf(ResourceNotFoundException.class, failureOf(missing.find(KEY)));
    assertInstanceOf(ResourceNotFoundException.class, failureOf(missing.forget(KEY)));
  }

  /**
   * DynamoDB stops answering (a relay in front of DynamoDB Local passes no byte): each call fails with the SDK's
   * ApiCallTimeoutException at its bound, 2 s by default, and the marks work again once DynamoDB answers.
   */
  @Test
  void aCallToAStalledDynamoDbFailsAtItsBound() throws Exception {
    MarkTableFixture t = table(Layout.EPOCH_MILLIS);
    try (StallingRelay relay = new StallingRelay(engines.dynamoEndpoint());
        DynamoDbClient throughRelay = new SdkCalls().dynamo(relay.endpoint())) {
      MarkWindow window = MarkWindow.of(WINDOW, t.clock);
      DynamoMarks<String> byDefault = Layout.EPOCH_MILLIS.table.inDynamo(t.vertx, throughRelay, t.table, window);
      DynamoMarks<String> bounded = DynamoMarks.builder(Layout.EPOCH_MILLIS.table)
          .on(t.vertx, throughRelay, t.table).window(window).callTimeout(Duration.ofMillis(300)).build();
      assertTrue(await(byDefault.markFirst(KEY, "retail")), "through the relay, DynamoDB Local answers");

      relay.stall();
      for (Future<?> call : List.of(byDefault.find(KEY), byDefault.markFirst(KEY, "other"), byDefault.forget(KEY))) {
        ApiCallTimeoutException e = assertInstanceOf(ApiCallTimeoutException.class, failureOf(call));
        assertTrue(e.getMessage().contains(DynamoMarks.DEFAULT_CALL_TIMEOUT.toMillis() + " millis"), e.getMessage());
      }
      ApiCallTimeoutException e = assertInstanceOf(ApiCallTimeoutException.class, failureOf(bounded.find(KEY)));
      assertTrue(e.getMessage().contains("300 millis"), e.getMessage());

      relay.resume();
      assertEquals(Optional.of("retail"), await(byDefault.find(KEY)), "nothing sent during the stall arrived");
    }
  }
}
