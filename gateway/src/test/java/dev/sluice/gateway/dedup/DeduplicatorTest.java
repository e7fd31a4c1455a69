package dev.sluice.gateway.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ingest.kafka.Appended;
import dev.sluice.storekit.marks.InProcessMarks;
import dev.sluice.storekit.marks.MarkWindow;
import dev.sluice.storekit.marks.StoreKey;
import dev.sluice.storekit.marks.WindowMarks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {
  private static final Appended AT_10 = new Appended("retail", 1, 10);
  private static final Appended AT_11 = new Appended("retail", 1, 11);

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final InProcessMarks<Appended> store = new InProcessMarks<>(100, MarkWindow.of(Duration.ofMinutes(5), clock));
  private final AtomicInteger appends = new AtomicInteger();

  private Deduplicator dedup(WindowMarks<Appended> s) {
    return new Deduplicator(s, Duration.ofSeconds(5), meters);
  }

  private Supplier<Future<Appended>> appendAt(Appended where) {
    return () -> {
      appends.incrementAndGet();
      return Future.succeededFuture(where);
    };
  }

  /** A store that never answers; the Deduplicator never forgets a mark. */
  private static class Unanswered implements WindowMarks<Appended> {
    @Override
    public Future<Boolean> markFirst(StoreKey key, Appended value) {
      return Promise.<Boolean>promise().future();
    }

    @Override
    public Future<Optional<Appended>> find(StoreKey key) {
      return Promise.<Optional<Appended>>promise().future();
    }

    @Override
    public Future<Void> forget(StoreKey key) {
      throw new UnsupportedOperationException("the Deduplicator never forgets");
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private double storeErrors(String operation) {
    return meters.get(Deduplicator.STORE_ERRORS).tag("operation", operation).counter().count();
  }

  @Test
  void aRepeatGetsTheOriginalResultAndAppendsNothing() throws Exception {
    Deduplicator d = dedup(store);
    assertEquals(new Dedup.Fresh(AT_10), await(d.admit("/shop", "e-1", appendAt(AT_10))));
    Dedup again = await(d.admit("/shop", "e-1", appendAt(AT_11)));
    assertEquals(new Dedup.Duplicate(AT_10), again);
    assertEquals(AT_10, again.appended());
    assertEquals(1, appends.get());
    assertEquals(new Dedup.Fresh(AT_11), await(d.admit("/shop", "e-2", appendAt(AT_11))));
    assertEquals(0, d.inFlight());
  }

  @Test
  void afterTheWindowTheSameEventIsAppendedAgain() throws Exception {
    Deduplicator d = dedup(store);
    await(d.admit("/shop", "e-1", appendAt(AT_10)));
    clock.advance(Duration.ofMinutes(5));
    assertEquals(new Dedup.Fresh(AT_11), await(d.admit("/shop", "e-1", appendAt(AT_11))));
  }

  @Test
  void aDuplicateArrivingDuringTheFirstAppendWaitsForItAndAppendsNothing() throws Exception {
    Deduplicator d = dedup(store);
    Promise<Appended> broker = Promise.promise();
    Future<Dedup> first = d.admit("/shop", "e-1", () -> {
      appends.incrementAndGet();
      return broker.future();
    });
    Future<Dedup> second = d.admit("/shop", "e-1", appendAt(AT_11));
    Future<Dedup> third = d.admit("/shop", "e-1", appendAt(AT_11));
    assertFalse(first.isComplete() || second.isComplete() || third.isComplete());
    assertEquals(1, d.inFlight());

    broker.complete(AT_10);
    assertEquals(new Dedup.Fresh(AT_10), await(first));
    assertEquals(new Dedup.Duplicate(AT_10), await(second));
    assertEquals(new Dedup.Duplicate(AT_10), await(third));
    assertEquals(1, appends.get());
    assertEquals(0, d.inFlight());
    assertEquals(Optional.of(AT_10), await(store.find(StoreKey.of("/shop", "e-1"))));
  }

  @Test
  void aFailedAppendIsNotRememberedAndItsWaitersFailToo() throws Exception {
    Deduplicator d = dedup(store);
    Promise<Appended> broker = Promise.promise();
    Future<Dedup> first = d.admit("/shop", "e-1", () -> broker.future());
    Future<Dedup> waiting = d.admit("/shop", "e-1", appendAt(AT_11));
    broker.fail(new IllegalStateException("broker down"));
    assertTrue(first.failed());
    assertTrue(waiting.failed(), "nothing was appended: the duplicate must not be told otherwise");
    assertEquals(Optional.empty(), await(store.find(StoreKey.of("/shop", "e-1"))));
    assertEquals(0, d.inFlight());

    assertEquals(new Dedup.Fresh(AT_11), await(d.admit("/shop", "e-1", appendAt(AT_11))), "the retry appends");
    assertEquals(1, appends.get());
  }

  @Test
  void anAppendThatThrowsIsAFailedAdmission() {
    Deduplicator d = dedup(store);
    Future<Dedup> f = d.admit("/shop", "e-1", () -> {
      throw new IllegalStateException("bug");
    });
    assertTrue(f.failed());
    assertEquals(0, d.inFlight());
  }

  @Test
  void whenTheStoreFailsOnFindTheEventIsAppendedAndTheErrorCounted() throws Exception {
    WindowMarks<Appended> broken = new Unanswered() {
      @Override
      public Future<Optional<Appended>> find(StoreKey key) {
        return Future.failedFuture(new RuntimeException("store down"));
      }

      @Override
      public Future<Boolean> markFirst(StoreKey key, Appended appended) {
        return Future.failedFuture(new RuntimeException("store down"));
      }
    };
    Deduplicator d = dedup(broken);
    assertEquals(new Dedup.Fresh(AT_10), await(d.admit("/shop", "e-1", appendAt(AT_10))));
    assertEquals(1, storeErrors("find"));
    assertEquals(1, storeErrors("remember"));
    assertEquals(0, d.inFlight());
  }

  @Test
  void aStoreThatDoesNotAnswerCountsAsFailedAfterTheStoreTimeout() throws Exception {
    WindowMarks<Appended> silent = new Unanswered() {
      @Override
      public Future<Boolean> markFirst(StoreKey key, Appended appended) {
        return Future.succeededFuture(true);
      }
    };
    Deduplicator d = new Deduplicator(silent, Duration.ofMillis(50), meters);
    assertEquals(new Dedup.Fresh(AT_10), await(d.admit("/shop", "e-1", appendAt(AT_10))));
    assertEquals(1, storeErrors("find"));
  }

  @Test
  void aWaitingDuplicateIsAnsweredOnItsOwnContext() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Deduplicator d = dedup(store);
      Context first = vertx.getOrCreateContext();
      Context second = vertx.getOrCreateContext();
      Promise<Appended> broker = Promise.promise();
      CompletableFuture<Void> firstAdmitted = new CompletableFuture<>();
      first.runOnContext(v -> {
        d.admit("/shop", "e-1", () -> broker.future());
        firstAdmitted.complete(null);
      });
      firstAdmitted.get(10, TimeUnit.SECONDS);
      CompletableFuture<Context> answeredOn = new CompletableFuture<>();
      CompletableFuture<Void> secondAdmitted = new CompletableFuture<>();
      second.runOnContext(v -> {
        d.admit("/shop", "e-1", appendAt(AT_11)).onComplete((r, err) -> answeredOn.complete(Vertx.currentContext()));
        secondAdmitted.complete(null);
      });
      secondAdmitted.get(10, TimeUnit.SECONDS);
      // The first append completes on the first context; the waiting duplicate must be answered on its own.
      first.runOnContext(v -> broker.complete(AT_10));
      assertSame(second, answeredOn.get(10, TimeUnit.SECONDS));
      assertEquals(0, appends.get());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
