package dev.sluice.quarantine.dedup;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Decorates a handler that is not naturally idempotent so that each event, identified by an {@link EventKey}
 * (CloudEvent id within a scope), is applied once within the {@link ProcessedEvents} window. It is itself a
 * {@code Function<T, Future<Void>>}, so it drops in wherever the plain handler went.
 *
 * <h2>When the mark is written: {@link Marking}</h2>
 * A crash (or a handler timeout) between marking and the end of the handler's side effects cannot be made atomic with
 * them, so the caller picks which way that window fails:
 * <ul>
 *   <li>{@link Marking#MARK_AFTER_SUCCESS} (the default, at-least-once): check {@code seen}; if not seen, call the
 *       handler; once it succeeded, mark. A crash between the handler's success and the mark means the redelivery
 *       applies the event a second time. A failed handler leaves no mark, so a retry runs it again. Two instances of
 *       the group that receive the same event at the same moment (a rebalance) may both apply it; the second mark
 *       then loses and the outcome says {@link Outcome#HANDLED_CONCURRENTLY}.</li>
 *   <li>{@link Marking#MARK_BEFORE} (at-most-once): mark with {@code firstTime}; only the winner calls the handler,
 *       on any instance. If the handler fails, the mark is forgotten so a retry can run it. A crash between the mark
 *       and the handler's completion means the redelivery is <em>skipped</em>, although the handler may not have
 *       finished: the event is never applied, unless an operator redrives it after the window. Choose it only when
 *       applying twice is worse than not at all.</li>
 * </ul>
 *
 * <h2>Duplicates in flight in this process</h2>
 * Calls for the same key are serialised: a duplicate that arrives while an earlier call is running waits for it to
 * finish (mark included), then runs its own check, so it is skipped if the first succeeded, and runs the handler if
 * the first failed. The map of keys in flight holds one entry per key being handled, so it is bounded by the events
 * in flight. Different keys never wait for each other.
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li>The store fails on the check ({@code seen}, or {@code firstTime} in MARK_BEFORE): the returned Future fails
 *       with the store's error and the handler is not called; the consumer's retry tiers retry the event, so nothing
 *       is skipped on a guess.</li>
 *   <li>The store fails on the mark after a successful handler (MARK_AFTER_SUCCESS): the event <em>was</em> applied,
 *       so the Future succeeds with {@link Outcome#HANDLED_UNMARKED}; failing would make the consumer retry, which
 *       would surely apply it twice, while succeeding applies it twice only if it is redelivered.</li>
 *   <li>The store fails on {@code forget} after a failed handler (MARK_BEFORE): the handler's failure is returned, and
 *       the retry will be skipped as a duplicate (at-most-once); logged as a warning.</li>
 *   <li>The handler's Future does not complete within {@code handlerTimeout}: the call fails with
 *       {@link HandlerTimeoutException} and the key is released. In MARK_BEFORE the mark is kept, because the handler
 *       may still be applying the event; if it later fails, the mark is forgotten then. Set the timeout to the
 *       consumer's own handler timeout.</li>
 * </ul>
 *
 * <p>Threading: the handler is called, and the returned Future completes, on the caller's Vert.x context (when there
 * is one). Thread-safe; one instance may be shared by several verticles.
 */
public final class IdempotentHandler<T> implements Function<T, Future<Void>> {
  /** Default bound on one handler call before its key is released for duplicates. */
  public static final Duration DEFAULT_HANDLER_TIMEOUT = Duration.ofSeconds(30);

  private static final System.Logger LOG = System.getLogger(IdempotentHandler.class.getName());

  /** When the mark is written, relative to the handler: see the class comment. */
  public enum Marking {
    /** Check before, mark after the handler succeeded: at-least-once (a crash in between applies it twice). */
    MARK_AFTER_SUCCESS,
    /** Mark before the handler, forget if it fails: at-most-once (a crash in between skips it). */
    MARK_BEFORE
  }

  /** What one call did. */
  public enum Outcome {
    /** The handler applied the event and the mark is stored. */
    HANDLED,
    /** A valid mark existed: the handler was not called. */
    SKIPPED_DUPLICATE,
    /** The handler applied the event but the mark could not be written: a redelivery would apply it again. */
    HANDLED_UNMARKED,
    /**
     * The handler applied the event, but another instance marked it meanwhile (MARK_AFTER_SUCCESS only): it was
     * applied twice.
     */
    HANDLED_CONCURRENTLY
  }

  private final Vertx vertx;
  private final ProcessedEvents processed;
  private final Marking marking;
  private final Duration handlerTimeout;
  private final Function<? super T, EventKey> keyOf;
  private final Function<? super T, Future<Void>> handler;
  /** Per key being handled, the last call's outcome: a later duplicate waits for it. */
  private final ConcurrentMap<String, Future<Outcome>> tails = new ConcurrentHashMap<>();

  public IdempotentHandler(
      Vertx vertx, ProcessedEvents processed, Marking marking, Duration handlerTimeout,
      Function<? super T, EventKey> keyOf, Function<? super T, Future<Void>> handler) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.processed = Objects.requireNonNull(processed, "processed");
    this.marking = Objects.requireNonNull(marking, "marking");
    this.handlerTimeout = Objects.requireNonNull(handlerTimeout, "handlerTimeout");
    this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
    this.handler = Objects.requireNonNull(handler, "handler");
    if (handlerTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("the handler timeout must be at least 1 ms, was " + handlerTimeout);
    }
  }

  /** The default: {@link Marking#MARK_AFTER_SUCCESS} (at-least-once), {@link #DEFAULT_HANDLER_TIMEOUT}. */
  public static <T> IdempotentHandler<T> of(
      Vertx vertx, ProcessedEvents processed, Function<? super T, EventKey> keyOf,
      Function<? super T, Future<Void>> handler) {
    return new IdempotentHandler<>(vertx, processed, Marking.MARK_AFTER_SUCCESS, DEFAULT_HANDLER_TIMEOUT, keyOf,
        handler);
  }

  /** Handles the event at most once per key and window, as {@link #handle} does, without saying what happened. */
  @Override
  public Future<Void> apply(T event) {
    return handle(event).mapEmpty();
  }

  /** Handles the event unless its key was processed within the window; says what happened. */
  public Future<Outcome> handle(T event) {
    EventKey key;
    try {
      key = Objects.requireNonNull(keyOf.apply(event), "the key extractor returned null");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    String slot = key.storeKey();
    Context caller = Vertx.currentContext();
    Promise<Outcome> mine = Promise.promise();
    Future<Outcome> myTail = mine.future();
    // Atomically become the last call for this key; the one before (if any) is what this call waits for.
    Future<Outcome> earlier = tails.put(slot, myTail);
    Future<Outcome> run = earlier == null
        ? attempt(event, key)
        : onContext(caller, earlier.transform(done -> Future.succeededFuture())).compose(v -> attempt(event, key));
    run.onComplete(ar -> {
      // Only the last call in the chain removes the entry; a later duplicate already replaced it otherwise.
      tails.remove(slot, myTail);
      if (caller == null || Vertx.currentContext() == caller) {
        mine.handle(ar);
      } else {
        caller.runOnContext(v -> mine.handle(ar));
      }
    });
    return myTail;
  }

  /** Keys being handled in this process now (for tests and a gauge). */
  public int inFlight() {
    return tails.size();
  }

  private Future<Outcome> attempt(T event, EventKey key) {
    try {
      return marking == Marking.MARK_AFTER_SUCCESS ? checkHandleMark(event, key) : markHandleForget(event, key);
    } catch (RuntimeException e) {
      // A store that throws instead of failing its Future must not leave the key's slot behind for ever.
      return Future.failedFuture(e);
    }
  }

  private Future<Outcome> checkHandleMark(T event, EventKey key) {
    return processed.seen(key).compose(seen -> {
      if (seen) {
        return Future.succeededFuture(Outcome.SKIPPED_DUPLICATE);
      }
      return invoke(event, key).compose(handled -> processed.firstTime(key).transform(marked -> {
        if (marked.failed()) {
          LOG.log(System.Logger.Level.WARNING,
              "event {0} was handled but its mark could not be stored; a redelivery would apply it again: {1}",
              key.idForLog(), marked.cause().toString());
          return Future.succeededFuture(Outcome.HANDLED_UNMARKED);
        }
        if (!marked.result()) {
          LOG.log(System.Logger.Level.WARNING,
              "event {0} was handled here while another instance handled and marked it too", key.idForLog());
          return Future.succeededFuture(Outcome.HANDLED_CONCURRENTLY);
        }
        return Future.succeededFuture(Outcome.HANDLED);
      }));
    });
  }

  private Future<Outcome> markHandleForget(T event, EventKey key) {
    return processed.firstTime(key).compose(first -> {
      if (!first) {
        return Future.succeededFuture(Outcome.SKIPPED_DUPLICATE);
      }
      return invoke(event, key).transform(handled -> {
        if (handled.succeeded()) {
          return Future.succeededFuture(Outcome.HANDLED);
        }
        Throwable failure = handled.cause();
        if (failure instanceof HandlerTimeoutException) {
          // The handler may still be applying the event: keep the mark (at-most-once). invoke() forgets it if the
          // late call fails after all.
          return Future.failedFuture(failure);
        }
        return forgetAfterFailure(key).transform(ignored -> Future.failedFuture(failure));
      });
    });
  }

  private Future<Void> forgetAfterFailure(EventKey key) {
    return processed.forget(key).onFailure(err -> LOG.log(System.Logger.Level.WARNING,
        "event {0} failed and its mark could not be removed; a retry will skip it as a duplicate: {1}",
        key.idForLog(), err.toString()));
  }

  /** Calls the handler, bounded by the handler timeout; a thrown exception counts as a failed Future. */
  private Future<Void> invoke(T event, EventKey key) {
    Future<Void> call;
    try {
      call = Objects.requireNonNull(handler.apply(event), "the handler returned null");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (call.isComplete()) {
      return call;
    }
    Promise<Void> bounded = Promise.promise();
    long timer = vertx.setTimer(handlerTimeout.toMillis(),
        id -> bounded.tryFail(new HandlerTimeoutException(key, handlerTimeout)));
    call.onComplete(ar -> {
      vertx.cancelTimer(timer);
      boolean inTime = ar.succeeded() ? bounded.tryComplete() : bounded.tryFail(ar.cause());
      if (!inTime && ar.failed() && marking == Marking.MARK_BEFORE) {
        // Failed after its timeout: the mark was kept then; remove it now so a redelivery can apply the event.
        forgetAfterFailure(key);
      }
    });
    return bounded.future();
  }

  private static <V> Future<V> onContext(Context ctx, Future<V> f) {
    if (ctx == null) {
      return f;
    }
    Promise<V> p = Promise.promise();
    f.onComplete(ar -> ctx.runOnContext(v -> p.handle(ar)));
    return p.future();
  }
}
