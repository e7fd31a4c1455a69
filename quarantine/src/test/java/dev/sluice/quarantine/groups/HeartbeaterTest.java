package dev.sluice.quarantine.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HeartbeaterTest {
  private static final Duration INTERVAL = Duration.ofMillis(20);

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  /**
   * Records what the Heartbeater sends; answers each heartbeat with {@code answer}. An in-memory implementation of our
   * own interface (the real registry is tested against DynamoDB Local in GroupRegistryIT).
   */
  private static final class RecordingSink implements HeartbeatSink {
    final List<String> calls = new ArrayList<>();
    final List<GroupHeartbeat> beats = new ArrayList<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    final Function<Integer, Future<Void>> answer;

    RecordingSink(Function<Integer, Future<Void>> answer) {
      this.answer = answer;
    }

    @Override
    public synchronized Future<Void> heartbeat(GroupHeartbeat heartbeat) {
      calls.add("beat");
      beats.add(heartbeat);
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      return answer.apply(beats.size()).onComplete(ar -> running.decrementAndGet());
    }

    @Override
    public synchronized Future<Void> remove(String group, String instanceId) {
      calls.add("remove:" + group + "/" + instanceId);
      return Future.succeededFuture();
    }

    synchronized int beatCount() {
      return beats.size();
    }

    synchronized List<String> calls() {
      return List.copyOf(calls);
    }

    synchronized GroupHeartbeat lastBeat() {
      return beats.get(beats.size() - 1);
    }
  }

  private static GroupHeartbeat beat(Map<String, ? extends Set<Integer>> versions) {
    return GroupHeartbeat.of("catalog-builder", "i-1", "host", Set.of("retail"), versions);
  }

  @Test
  void beatsUntilStoppedThenRemovesTheInstanceAndBeatsNoMore() throws Exception {
    var sink = new RecordingSink(n -> Future.succeededFuture());
    var heartbeater = new Heartbeater(vertx, sink, () -> beat(Map.of()), INTERVAL);
    await(heartbeater.start());
    assertTrue(sink.beatCount() >= 1, "the first heartbeat is sent at start");
    awaitUntil("three heartbeats", () -> sink.beatCount() >= 3);

    await(heartbeater.stop());
    List<String> calls = sink.calls();
    assertEquals("remove:catalog-builder/i-1", calls.get(calls.size() - 1));
    Thread.sleep(INTERVAL.toMillis() * 5);
    assertEquals(calls, sink.calls(), "nothing is sent after the removal: it would bring the instance back");
    assertEquals(calls.size() - 1, heartbeater.sent());
    await(heartbeater.stop()); // idempotent
    assertEquals(calls, sink.calls());
  }

  @Test
  void eachHeartbeatCarriesTheVersionsSeenUpToThen() throws Exception {
    var seen = SchemaVersionsSeen.withDefaults(Clock.systemUTC());
    var sink = new RecordingSink(n -> Future.succeededFuture());
    var heartbeater = new Heartbeater(vertx, sink, () -> beat(seen.snapshot()), INTERVAL);
    await(heartbeater.start());
    assertEquals(Map.of(), sink.lastBeat().versionsSeen());

    seen.record("retail.product.created", 2);
    awaitUntil("a heartbeat with version 2",
        () -> sink.lastBeat().versionsSeen().containsKey("retail.product.created")
            && sink.lastBeat().versionsSeen().get("retail.product.created").contains(2));
    await(heartbeater.stop());
  }

  @Test
  void failedHeartbeatsAreCountedAndTheNextOnesStillGo() throws Exception {
    var sink = new RecordingSink(n -> n <= 2
        ? Future.failedFuture(new IllegalStateException("registry down"))
        : Future.succeededFuture());
    var heartbeater = new Heartbeater(vertx, sink, () -> beat(Map.of()), INTERVAL);
    try {
      await(heartbeater.start());
      throw new AssertionError("the first heartbeat failed, and start says so");
    } catch (ExecutionException expected) {
      assertEquals("registry down", expected.getCause().getMessage());
    }
    awaitUntil("a heartbeat that succeeds", () -> heartbeater.sent() >= 1);
    assertEquals(2, heartbeater.failed());
    await(heartbeater.stop());
  }

  @Test
  void aThrowingSupplierCountsAsAFailedHeartbeat() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    var sink = new RecordingSink(n -> Future.succeededFuture());
    var heartbeater = new Heartbeater(vertx, sink, () -> {
      if (asked.incrementAndGet() == 1) {
        throw new IllegalStateException("not ready");
      }
      return beat(Map.of());
    }, INTERVAL);
    heartbeater.start();
    awaitUntil("a heartbeat after the failure", () -> heartbeater.sent() >= 1);
    assertEquals(1, heartbeater.failed());
    await(heartbeater.stop());
  }

  @Test
  void aSlowRegistryNeverGetsOverlappingHeartbeats() throws Exception {
    List<Promise<Void>> pending = new ArrayList<>();
    var sink = new RecordingSink(n -> {
      Promise<Void> p = Promise.promise();
      synchronized (pending) {
        pending.add(p);
      }
      return p.future();
    });
    var heartbeater = new Heartbeater(vertx, sink, () -> beat(Map.of()), Duration.ofMillis(1));
    heartbeater.start();
    awaitUntil("the first heartbeat", () -> sink.beatCount() == 1);
    Thread.sleep(50); // 50 intervals
    assertEquals(1, sink.beatCount(), "the next heartbeat waits for the slow one");
    synchronized (pending) {
      pending.get(0).complete();
    }
    awaitUntil("the second heartbeat", () -> sink.beatCount() == 2);
    assertEquals(1, sink.maxRunning.get());
    Future<Void> stopped = heartbeater.stop();
    synchronized (pending) {
      pending.forEach(Promise::tryComplete);
    }
    await(stopped);
  }

  @Test
  void stopWaitsForTheHeartbeatInProgressBeforeRemoving() throws Exception {
    Promise<Void> slow = Promise.promise();
    var sink = new RecordingSink(n -> slow.future());
    var heartbeater = new Heartbeater(vertx, sink, () -> beat(Map.of()), INTERVAL);
    heartbeater.start();
    awaitUntil("the first heartbeat", () -> sink.beatCount() == 1);

    Future<Void> stopped = heartbeater.stop();
    Thread.sleep(50);
    assertFalse(stopped.isComplete());
    assertEquals(List.of("beat"), sink.calls(), "no removal while a heartbeat could still re-create the item");

    slow.complete();
    await(stopped);
    assertEquals(List.of("beat", "remove:catalog-builder/i-1"), sink.calls());
  }

  @Test
  void stoppingBeforeStartingRemovesNothingAndStartsNothing() throws Exception {
    var sink = new RecordingSink(n -> Future.succeededFuture());
    var heartbeater = new Heartbeater(vertx, sink, () -> beat(Map.of()), INTERVAL);
    await(heartbeater.stop());
    await(heartbeater.start());
    Thread.sleep(INTERVAL.toMillis() * 3);
    assertEquals(List.of(), sink.calls());
  }
}
