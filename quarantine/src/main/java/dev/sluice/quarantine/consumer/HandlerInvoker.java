package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.metrics.ConsumerMetrics.AttemptOutcome;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.retry.RetryClassifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Calls the handler, retrying retryable failures in place with backoff and full jitter. Waiting is a Vert.x timer,
 * never a sleep: the event loop stays free while an event waits for its next attempt.
 */
final class HandlerInvoker {
  private final Vertx vertx;
  private final EventHandler handler;
  private final BackoffPolicy backoff;
  private final RetryClassifier classifier;
  private final Duration handlerTimeout;
  private final RandomGenerator random;
  private final ConsumerMetrics metrics;
  private final Clock clock;

  HandlerInvoker(Vertx vertx, EventHandler handler, WrapperConfig config, RandomGenerator random,
      ConsumerMetrics metrics, Clock clock) {
    this.clock = clock;
    this.vertx = vertx;
    this.handler = handler;
    this.backoff = config.backoff();
    this.classifier = config.classifier();
    this.handlerTimeout = config.handlerTimeout();
    this.random = random;
    this.metrics = metrics;
  }

  /** How handling ended. The returned Future never fails: every end is a value. */
  sealed interface Outcome {
    int attempts();
  }

  record Handled(int attempts) implements Outcome {}

  record Rejected(int attempts, Throwable cause) implements Outcome {}

  record Exhausted(int attempts, Throwable cause) implements Outcome {}

  Future<Outcome> invoke(ConsumedEvent event) {
    return attempt(event, 1, clock.instant(), Duration.ZERO);
  }

  private Future<Outcome> attempt(ConsumedEvent event, int n, Instant firstStart, Duration lastDelay) {
    return callOnce(event).transform(ar -> {
      if (ar.succeeded()) {
        metrics.attempt(event.stream(), AttemptOutcome.SUCCESS);
        return Future.succeededFuture(new Handled(n));
      }
      Throwable cause = ar.cause();
      if (!classifier.isRetryable(cause)) {
        metrics.attempt(event.stream(), AttemptOutcome.NON_RETRYABLE_FAILURE);
        return Future.succeededFuture(new Rejected(n, cause));
      }
      metrics.attempt(event.stream(), AttemptOutcome.RETRYABLE_FAILURE);
      Duration elapsed = Duration.between(firstStart, clock.instant());
      BackoffPolicy.Decision next = backoff.next(new BackoffPolicy.Progress(n, elapsed, lastDelay), random);
      if (next instanceof BackoffPolicy.RetryAfter retry) {
        return vertx.timer(Math.max(1, retry.delay().toMillis()), TimeUnit.MILLISECONDS)
            .compose(v -> attempt(event, n + 1, firstStart, retry.delay()));
      }
      return Future.succeededFuture(new Exhausted(n, cause));
    });
  }

  /** One handler call; a synchronous throw, a null Future or a Future that never ends all become failures. */
  private Future<Void> callOnce(ConsumedEvent event) {
    return Future.<Void>succeededFuture()
        .compose(v -> handler.handle(event))
        .timeout(handlerTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
