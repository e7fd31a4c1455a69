package dev.sluice.quarantine.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.dedup.IdempotentHandler.Marking;
import dev.sluice.quarantine.dedup.IdempotentHandler.Outcome;
import dev.sluice.quarantine.testing.HandClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IdempotentHandlerTest {
  private record Ev(String id) {}

  private Vertx vertx;
  private final HandClock clock = new HandClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final ProcessedEvents store = ProcessedEvents.inProcess(10_000, Duration.ofMinutes(10), clock);
  /** Handler calls, per event id. */
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

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

  private static Throwable failureOf(Future<?> f) throws Exception {
    try {
      await(f);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private int callsOf(String id) {
    AtomicInteger n = calls.get(id);
    return n == null ? 0 : n.get();
  }

  /** A handler that counts its calls and answers with what {@code answer} gives. */
  private Function<Ev, Future<Void>> counting(Function<Ev, Future<Void>> answer) {
    return e -> {
      calls.computeIfAbsent(e.id(), k -> new AtomicInteger()).incrementAndGet();
      return answer.apply(e);
    };
  }

  private IdempotentHandler<Ev> wrap(ProcessedEvents processed, Marking marking, Function<Ev, Future<Void>> h) {
    return new IdempotentHandler<>(vertx, processed, marking, Duration.ofSeconds(10), e -> EventKey.of("g", e.id()),
        counting(h));
  }

  @ParameterizedTest
  @EnumSource(Marking.class)
  void appliesAnEventOnceAndSkipsItsRedeliveries(Marking marking) throws Exception {
    var handler = wrap(store, marking, e -> Future.succeededFuture());
    assertEquals(Outcome.HANDLED, await(handler.handle(new Ev("e-1"))));
    assertEquals(Outcome.SKIPPED_DUPLICATE, await(handler.handle(new Ev("e-1"))));
    await(handler.apply(new Ev("e-1")));
    assertEquals(Outcome.HANDLED, await(handler.handle(new Ev("e-2"))));
    assertEquals(1, callsOf("e-1"));
    assertEquals(1, callsOf("e-2"));
    assertEquals(0, handler.inFlight());
  }

  @ParameterizedTest
  @EnumSource(Marking.class)
  void aFailedHandlerLeavesNoMarkSoTheRetryRunsIt(Marking marking) throws Exception {
    AtomicInteger attempt = new AtomicInteger();
    var handler = wrap(store, marking, e -> attempt.incrementAndGet() == 1
        ? Future.failedFuture(new IllegalStateException("downstream down"))
        : Future.succeededFuture());

    assertInstanceOf(IllegalStateException.class, failureOf(handler.handle(new Ev("e-1"))));
    assertFalse(await(store.seen("g", "e-1")), "no mark left behind by the failure");
    assertEquals(Outcome.HANDLED, await(handler.handle(new Ev("e-1"))));
    assertEquals(Outcome.SKIPPED_DUPLICATE, await(handler.handle(new Ev("e-1"))));
    assertEquals(2, callsOf("e-1"));
  }

  @ParameterizedTest
  @EnumSource(Marking.class)
  void aThrowingOrNullReturningHandlerCountsAsFailed(Marking marking) throws Exception {
    var throwing = wrap(store, marking, e -> {
      throw new IllegalArgumentException("bad");
    });
    assertInstanceOf(IllegalArgumentException.class, failureOf(throwing.handle(new Ev("e-1"))));
    assertFalse(await(store.seen("g", "e-1")));

    var returningNull = wrap(store, marking, e -> null);
    assertInstanceOf(NullPointerException.class, failureOf(returningNull.handle(new Ev("e-2"))));
    assertFalse(await(store.seen("g", "e-2")));
  }

  @ParameterizedTest
  @EnumSource(Marking.class)
  void concurrentDuplicatesCallTheHandlerOnce(Marking marking) throws Exception {
    Promise<Void> first = Promise.promise();
    var handler = wrap(store, marking, e -> first.future());

    List<Future<Outcome>> outcomes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      outcomes.add(handler.handle(new Ev("e-1")));
    }
    assertEquals(1, callsOf("e-1"), "the duplicates wait for the first call");
    assertEquals(1, handler.inFlight());
    outcomes.forEach(o -> assertFalse(o.isComplete()));

    first.complete();
    List<Outcome> results = new ArrayList<>();
    for (Future<Outcome> o : outcomes) {
      results.add(await(o));
    }
    assertEquals(List.of(Outcome.HANDLED, Outcome.SKIPPED_DUPLICATE, Outcome.SKIPPED_DUPLICATE,
        Outcome.SKIPPED_DUPLICATE, Outcome.SKIPPED_DUPLICATE), results);
    assertEquals(1, callsOf("e-1"));
    assertEquals(0, handler.inFlight(), "the in-flight map empties");
  }

  @ParameterizedTest
  @EnumSource(Marking.class)
  void aDuplicateWaitingBehindAFailedCallRunsTheHandlerItself(Marking marking) throws Exception {
    List<Promise<Void>> pending = Collections.synchronizedList(new ArrayList<>());
    var handler = wrap(store, marking, e -> {
      Promise<Void> p = Promise.promise();
      pending.add(p);
      return p.future();
    });
    Future<Outcome> a = handler.handle(new Ev("e-1"));
    Future<Outcome> b = handler.handle(new Ev("e-1"));
    assertEquals(1, pending.size());

    pending.get(0).fail(new IllegalStateException("first failed"));
    assertInstanceOf(IllegalStateException.class, failureOf(a));
    assertEquals(2, pending.size(), "the duplicate found no mark and called the handler");
    pending.get(1).complete();
    assertEquals(Outcome.HANDLED, await(b));
    assertEquals(2, callsOf("e-1"));
  }

  @Test
  void differentKeysNeverWaitForEachOther() throws Exception {
    Promise<Void> slow = Promise.promise();
    var handler = wrap(store, Marking.MARK_AFTER_SUCCESS,
        e -> e.id().equals("slow") ? slow.future() : Future.succeededFuture());
    Future<Outcome> stuck = handler.handle(new Ev("slow"));
    assertEquals(Outcome.HANDLED, await(handler.handle(new Ev("fast"))));
    assertFalse(stuck.isComplete());
    slow.complete();
    assertEquals(Outcome.HANDLED, await(stuck));
  }

  @ParameterizedTest
  @EnumSource(Marking.class)
  void duplicatesFromSeveralEventLoopsApplyEachEventOnceAndAnswerOnTheCallersContext(Marking marking)
      throws Exception {
    int loops = 4;
    int events = 200;
    // The handler completes later, on a timer, so that calls really overlap.
    var handler = wrap(store, marking, e -> {
      Promise<Void> p = Promise.promise();
      vertx.setTimer(1, id -> p.complete());
      return p.future();
    });
    List<Context> contexts = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      // Each verticle gets its own event-loop context: the callers of a real consumer's verticles.
      Promise<Context> deployed = Promise.promise();
      await(vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          deployed.complete(context);
          return Future.succeededFuture();
        }
      }));
      contexts.add(await(deployed.future()));
    }
    assertEquals(loops, contexts.stream().distinct().count());
    Map<Outcome, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    AtomicInteger wrongContext = new AtomicInteger();
    List<Future<Void>> all = Collections.synchronizedList(new ArrayList<>());
    List<Future<Void>> started = new ArrayList<>();
    for (Context ctx : contexts) {
      Promise<Void> submitted = Promise.promise();
      started.add(submitted.future());
      ctx.runOnContext(v -> {
        for (int i = 0; i < events; i++) {
          Future<Void> one = handler.handle(new Ev("e-" + i)).map(o -> {
            if (Vertx.currentContext() != ctx) {
              wrongContext.incrementAndGet();
            }
            outcomes.computeIfAbsent(o, k -> new AtomicInteger()).incrementAndGet();
            return null;
          });
          all.add(one);
        }
        submitted.complete();
      });
    }
    await(Future.all(started));
    await(Future.all(new ArrayList<>(all)));

    for (int i = 0; i < events; i++) {
      assertEquals(1, callsOf("e-" + i), "event e-" + i + " applied once");
    }
    assertEquals(events, outcomes.get(Outcome.HANDLED).get());
    assertEquals(events * (loops - 1), outcomes.get(Outcome.SKIPPED_DUPLICATE).get());
    assertEquals(0, wrongContext.get(), "every answer came back on its caller's context");
    assertEquals(0, handler.inFlight());
  }

  @Test
  void markAfterSuccessStillSucceedsWhenTheMarkCannotBeStoredAndARedeliveryAppliesAgain() throws Exception {
    ProcessedEvents markFails = new DelegatingEvents(store) {
      @Override
      public Future<Boolean> firstTime(String scope, String eventId) {
        return Future.failedFuture(new IllegalStateException("store down"));
      }
    };
    var handler = wrap(markFails, Marking.MARK_AFTER_SUCCESS, e -> Future.succeededFuture());
    assertEquals(Outcome.HANDLED_UNMARKED, await(handler.handle(new Ev("e-1"))));
    assertEquals(Outcome.HANDLED_UNMARKED, await(handler.handle(new Ev("e-1"))));
    assertEquals(2, callsOf("e-1"), "at-least-once: without a mark the redelivery applies again");
  }

  @Test
  void markAfterSuccessReportsThatAnotherInstanceMarkedTheEventMeanwhile() throws Exception {
    Promise<Void> running = Promise.promise();
    var handler = wrap(store, Marking.MARK_AFTER_SUCCESS, e -> running.future());
    Future<Outcome> here = handler.handle(new Ev("e-1"));
    // Another instance of the group, sharing the store, handles and marks the same event now.
    assertTrue(await(store.firstTime("g", "e-1")));
    running.complete();
    assertEquals(Outcome.HANDLED_CONCURRENTLY, await(here));
  }

  @ParameterizedTest
  @EnumSource(Marking.class)
  void aStoreFailureOnTheCheckFailsTheCallWithoutCallingTheHandler(Marking marking) throws Exception {
    IllegalStateException down = new IllegalStateException("store down");
    ProcessedEvents unreachable = new DelegatingEvents(store) {
      @Override
      public Future<Boolean> firstTime(String scope, String eventId) {
        return Future.failedFuture(down);
      }

      @Override
      public Future<Boolean> seen(String scope, String eventId) {
        return Future.failedFuture(down);
      }
    };
    var handler = wrap(unreachable, marking, e -> Future.succeededFuture());
    assertSame(down, failureOf(handler.handle(new Ev("e-1"))));
    assertEquals(0, callsOf("e-1"), "nothing is skipped or applied on a guess: the consumer retries");
  }

  @Test
  void markBeforeKeepsTheMarkIfForgetFailsSoTheRetryIsSkipped() throws Exception {
    ProcessedEvents forgetFails = new DelegatingEvents(store) {
      @Override
      public Future<Void> forget(String scope, String eventId) {
        return Future.failedFuture(new IllegalStateException("store down"));
      }
    };
    var handler = wrap(forgetFails, Marking.MARK_BEFORE, e -> Future.failedFuture(new IllegalStateException("x")));
    assertEquals("x", failureOf(handler.handle(new Ev("e-1"))).getMessage(), "the handler's failure is returned");
    assertEquals(Outcome.SKIPPED_DUPLICATE, await(handler.handle(new Ev("e-1"))), "at-most-once");
    assertEquals(1, callsOf("e-1"));
  }

  /**
   * The crash window. A process marks (MARK_BEFORE) or handles (MARK_AFTER_SUCCESS) and dies before the call ends;
   * the event is redelivered to a new process sharing the store.
   */
  @Test
  void theCrashWindowSkipsWithMarkBeforeAndAppliesAgainWithMarkAfterSuccess() throws Exception {
    var dyingBefore = wrap(store, Marking.MARK_BEFORE, e -> Promise.<Void>promise().future());
    dyingBefore.handle(new Ev("before")); // marked, then the process dies in the handler
    var restartedBefore = wrap(store, Marking.MARK_BEFORE, e -> Future.succeededFuture());
    assertEquals(Outcome.SKIPPED_DUPLICATE, await(restartedBefore.handle(new Ev("before"))));
    assertEquals(1, callsOf("before"), "at-most-once: the redelivery is skipped");

    var dyingAfter = wrap(store, Marking.MARK_AFTER_SUCCESS, e -> Promise.<Void>promise().future());
    dyingAfter.handle(new Ev("after")); // the side effects may be done; the process dies before the mark
    var restartedAfter = wrap(store, Marking.MARK_AFTER_SUCCESS, e -> Future.succeededFuture());
    assertEquals(Outcome.HANDLED, await(restartedAfter.handle(new Ev("after"))));
    assertEquals(2, callsOf("after"), "at-least-once: the redelivery applies it again");
  }

  @Test
  void aStuckHandlerTimesOutAndReleasesItsKey() throws Exception {
    var handler = new IdempotentHandler<Ev>(vertx, store, Marking.MARK_AFTER_SUCCESS, Duration.ofMillis(50),
        e -> EventKey.of("g", e.id()),
        counting(e -> e.id().equals("stuck") && callsOf("stuck") == 1
            ? Promise.<Void>promise().future()
            : Future.succeededFuture()));
    assertInstanceOf(HandlerTimeoutException.class, failureOf(handler.handle(new Ev("stuck"))));
    assertEquals(0, handler.inFlight());
    assertFalse(await(store.seen("g", "stuck")));
    assertEquals(Outcome.HANDLED, await(handler.handle(new Ev("stuck"))), "the retry is not held behind it");
  }

  @Test
  void markBeforeKeepsTheMarkOnTimeoutAndForgetsItIfTheLateCallFails() throws Exception {
    Promise<Void> late = Promise.promise();
    var handler = new IdempotentHandler<Ev>(vertx, store, Marking.MARK_BEFORE, Duration.ofMillis(50),
        e -> EventKey.of("g", e.id()), counting(e -> late.future()));
    assertInstanceOf(HandlerTimeoutException.class, failureOf(handler.handle(new Ev("e-1"))));
    assertTrue(await(store.seen("g", "e-1")), "the handler may still be applying it");

    late.fail(new IllegalStateException("failed after all"));
    assertFalse(await(store.seen("g", "e-1")), "the late failure removed the mark");
  }

  @Test
  void aFailingKeyExtractorFailsTheCall() throws Exception {
    var handler = new IdempotentHandler<Ev>(vertx, store, Marking.MARK_AFTER_SUCCESS, Duration.ofSeconds(1),
        e -> EventKey.of("g", e.id()), counting(e -> Future.succeededFuture()));
    assertInstanceOf(NullPointerException.class, failureOf(handler.handle(new Ev(null))));
    assertEquals(0, handler.inFlight());
  }

  /** Our own interface, decorated to inject store failures: not a fake of DynamoDB. */
  private static class DelegatingEvents implements ProcessedEvents {
    private final ProcessedEvents delegate;

    DelegatingEvents(ProcessedEvents delegate) {
      this.delegate = delegate;
    }

    @Override
    public Future<Boolean> firstTime(String scope, String eventId) {
      return delegate.firstTime(scope, eventId);
    }

    @Override
    public Future<Boolean> seen(String scope, String eventId) {
      return delegate.seen(scope, eventId);
    }

    @Override
    public Future<Void> forget(String scope, String eventId) {
      return delegate.forget(scope, eventId);
    }
  }
}
