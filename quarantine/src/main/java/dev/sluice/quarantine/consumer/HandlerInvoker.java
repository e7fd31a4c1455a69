package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.metrics.ConsumerMetrics.AttemptOutcome;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.retry.RetryClassifier;
import dev.sluice.quarantine.store.HandlerAttempt;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Calls the handler, retrying retryable failures with backoff and jitter. Waiting is a Vert.x timer, never a sleep:
 * the event loop stays free while an event waits for its next attempt. Every attempt is logged (time, tier, error).
 */
final class HandlerInvoker {
  /**
   * Where the wrapper calls a handler: a failure's stack trace ends at the first frame of one of these classes (the
   * Vert.x wrapper's call here, the poll loop's call on its handler threads). The frames below it are the wrapper's
   * and its thread's, the same for every call: they are counted, not kept, which keeps an item a few KB smaller.
   */
  static final Set<String> CALLERS = Set.of(HandlerInvoker.class.getName(),
      QuarantiningPollLoop.Builder.class.getName());

  private final Vertx vertx;
  private final EventHandler handler;
  private final BackoffPolicy inPlace;
  private final RetryClassifier classifier;
  private final Duration handlerTimeout;
  private final RandomGenerator random;
  private final ConsumerMetrics metrics;
  private final Clock clock;

  HandlerInvoker(Vertx vertx, EventHandler handler, WrapperConfig config, RandomGenerator random,
      ConsumerMetrics metrics, Clock clock) {
    this.vertx = vertx;
    this.handler = handler;
    this.inPlace = config.backoff();
    this.classifier = config.classifier();
    this.handlerTimeout = config.handlerTimeout();
    this.random = random;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** How handling ended. The returned Future never fails: every end is a value, with every attempt made. */
  sealed interface Outcome {
    List<HandlerAttempt> log();

    default int attempts() {
      return log().size();
    }
  }

  record Handled(List<HandlerAttempt> log) implements Outcome {}

  /** A non-retryable failure. */
  record Rejected(Throwable cause, List<HandlerAttempt> log) implements Outcome {}

  /** Retryable failures until the policy gave up. */
  record Exhausted(Throwable cause, List<HandlerAttempt> log) implements Outcome {}

  /** The in-place tier: attempts on the spot, with the group's in-place policy. */
  Future<Outcome> invoke(ConsumedEvent event) {
    return invoke(event, inPlace, HandlerAttempt.Tier.IN_PLACE);
  }

  /** One attempt only (a delayed retry: the next one, if any, is another delayed retry). */
  Future<Outcome> invokeOnce(ConsumedEvent event, HandlerAttempt.Tier tier) {
    return invoke(event, inPlace.withMaxAttempts(1), tier);
  }

  Future<Outcome> invoke(ConsumedEvent event, BackoffPolicy policy, HandlerAttempt.Tier tier) {
    Instant now = clock.instant();
    return attempt(event, policy, tier, new ArrayList<>(), now, Duration.ZERO, now);
  }

  /** @param start when this attempt starts: {@code firstStart} for the first one */
  private Future<Outcome> attempt(ConsumedEvent event, BackoffPolicy policy, HandlerAttempt.Tier tier,
      List<HandlerAttempt> log, Instant firstStart, Duration lastDelay, Instant start) {
    Future<Void> call = callOnce(event);
    if (call.isComplete()) {
      // A synchronous handler (the common case): judged at once, without a continuation.
      return judge(call, event, policy, tier, log, firstStart, lastDelay, start);
    }
    return call.transform(ar -> judge(ar, event, policy, tier, log, firstStart, lastDelay, start));
  }

  private Future<Outcome> judge(AsyncResult<Void> ar, ConsumedEvent event, BackoffPolicy policy,
      HandlerAttempt.Tier tier, List<HandlerAttempt> log, Instant firstStart, Duration lastDelay, Instant start) {
    if (ar.succeeded()) {
      metrics.attempt(event.stream(), AttemptOutcome.SUCCESS);
      HandlerAttempt succeeded = HandlerAttempt.succeeded(start, tier);
      if (log.isEmpty()) {
        // The first attempt (nearly every event): no list to grow and copy.
        return Future.succeededFuture(new Handled(List.of(succeeded)));
      }
      log.add(succeeded);
      return Future.succeededFuture(new Handled(List.copyOf(log)));
    }
    Throwable cause = ar.cause();
    log.add(HandlerAttempt.failed(start, tier, cause, CALLERS));
    if (!classifier.isRetryable(cause)) {
      metrics.attempt(event.stream(), AttemptOutcome.NON_RETRYABLE_FAILURE);
      return Future.succeededFuture(new Rejected(cause, List.copyOf(log)));
    }
    metrics.attempt(event.stream(), AttemptOutcome.RETRYABLE_FAILURE);
    Duration elapsed = Duration.between(firstStart, clock.instant());
    BackoffPolicy.Decision next = policy.next(new BackoffPolicy.Progress(log.size(), elapsed, lastDelay), random);
    if (next instanceof BackoffPolicy.RetryAfter retry) {
      return vertx.timer(Math.max(1, retry.delay().toMillis()), TimeUnit.MILLISECONDS)
          .compose(v -> attempt(event, policy, tier, log, firstStart, retry.delay(), clock.instant()));
    }
    return Future.succeededFuture(new Exhausted(cause, List.copyOf(log)));
  }

  /** One handler call; a synchronous throw, a null Future or a Future that never ends all become failures. */
  private Future<Void> callOnce(ConsumedEvent event) {
    Future<Void> f;
    try {
      f = handler.handle(event);
    } catch (Throwable thrown) {
      // As a Vert.x continuation would: whatever the handler throws is its failure.
      return Future.failedFuture(thrown);
    }
    if (f == null) {
      return Future.failedFuture(new IllegalStateException("the handler returned no Future"));
    }
    // A finished Future needs no timer.
    return f.isComplete() ? f : f.timeout(handlerTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
