package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.store.StoreException;
import dev.sluice.quarantine.store.StoreRefusal;
import java.util.Optional;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats a store or queue call until it succeeds, with backoff, for as long as the caller still wants it: how the
 * wrapper rides out a DynamoDB or SQS outage. The caller's partition stays paused meanwhile (its record is neither
 * handled nor recorded, so nothing past it is committed), and it carries on by itself once the engine answers again.
 *
 * <p>A {@link StoreException} is an answer (the item is not where the caller thought), not an outage: it is passed on
 * at once. So is a permanent refusal by the store ({@link StoreRefusal}: the request itself is invalid, an item too
 * big), which no retry can cure: it is counted as a refusal, not a store failure, and passed on as a
 * {@link StoreException.Refused} for the caller to write something the store takes. Waiting is a Vert.x timer, never
 * a sleep.
 */
final class OutageRetry {
  private static final Logger LOG = LoggerFactory.getLogger(OutageRetry.class);

  private final Vertx vertx;
  private final BackoffPolicy backoff;
  private final RandomGenerator random;
  private final ConsumerMetrics metrics;
  private final String group;

  OutageRetry(Vertx vertx, BackoffPolicy backoff, RandomGenerator random, ConsumerMetrics metrics, String group) {
    this.vertx = vertx;
    this.backoff = backoff;
    this.random = random;
    this.metrics = metrics;
    this.group = group;
  }

  /** Thrown when the caller stopped wanting the result (its partition was revoked, or the consumer stops). */
  static final class GaveUp extends RuntimeException {
    GaveUp(String what, Throwable last) {
      super("stopped retrying " + what + ": " + last, last, false, false);
    }
  }

  /** The wait after {@code failures} failures in a row (1 for the first) of a loop that polls an engine. */
  Duration waitAfter(int failures) {
    Duration delay = backoff.delayBeforeAttempt(Math.max(2, failures + 1), random);
    return delay.compareTo(backoff.initialInterval()) < 0 ? backoff.initialInterval() : delay;
  }

  /** Waits {@link #waitAfter}{@code (failures)} on a Vert.x timer: how a loop of its own rides out an outage. */
  Future<Void> pause(int failures) {
    return vertx.timer(waitAfter(failures).toMillis(), TimeUnit.MILLISECONDS).mapEmpty();
  }

  /** Whether a loop should log its {@code failures}-th failure in a row: the first, then every tenth. */
  static boolean worthLogging(int failures) {
    return failures == 1 || failures % 10 == 0;
  }

  <T> Future<T> untilDone(String what, String stream, BooleanSupplier keepTrying, Supplier<Future<T>> call) {
    return attempt(what, stream, keepTrying, call, 1, Duration.ZERO);
  }

  private <T> Future<T> attempt(String what, String stream, BooleanSupplier keepTrying, Supplier<Future<T>> call,
      int n, Duration lastDelay) {
    Future<T> once;
    try {
      once = call.get();
    } catch (RuntimeException e) {
      once = Future.failedFuture(e);
    }
    return once.recover(err -> {
      if (err instanceof StoreException) {
        return Future.failedFuture(err);
      }
      Optional<StoreRefusal> refusal = StoreRefusal.of(err);
      if (refusal.isPresent()) {
        metrics.storeRefusal(stream, refusal.get());
        LOG.warn("group {}: {} refused by the store ({}), not tried again as it is: {}", group, what,
            refusal.get(), err.toString());
        return Future.failedFuture(new StoreException.Refused(refusal.get(), err));
      }
      metrics.storeFailure(stream);
      if (!keepTrying.getAsBoolean()) {
        return Future.failedFuture(new GaveUp(what, err));
      }
      Duration delay = backoff.delayBeforeAttempt(n + 1, lastDelay, random);
      Duration wait = delay.compareTo(backoff.initialInterval()) < 0 ? backoff.initialInterval() : delay;
      if (worthLogging(n)) {
        LOG.warn("group {}: {} failed (try {}), trying again in {} ms: {}", group, what, n, wait.toMillis(),
            err.toString());
      }
      return vertx.timer(wait.toMillis(), TimeUnit.MILLISECONDS)
          .compose(v -> keepTrying.getAsBoolean()
              ? attempt(what, stream, keepTrying, call, n + 1, wait)
              : Future.failedFuture(new GaveUp(what, err)));
    });
  }
}
