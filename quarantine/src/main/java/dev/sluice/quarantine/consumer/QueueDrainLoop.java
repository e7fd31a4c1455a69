package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineQuery;
import dev.sluice.quarantine.store.QuarantineStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives from one of the group's SQS queues in a loop and handles each message in turn, one after another, and
 * periodically sweeps for items whose message was lost. A failed receive or handling waits before the next round,
 * longer with each failure in a row, so an SQS outage is not hammered; {@link Queue#failed} may repair what it can
 * first (e.g. re-create a queue that vanished). Runs on the consumer's context; never blocks.
 */
final class QueueDrainLoop<M> {
  private static final Logger LOG = LoggerFactory.getLogger(QueueDrainLoop.class);

  /** One of the group's queues, as its drainer reads it. */
  interface Queue<M> {
    /** The queue, for the log, e.g. "redrive queue". */
    String what();

    /** One long poll of the queue. */
    Future<List<M>> receive();

    /** One message, to its end (its deletion included). */
    Future<Void> handle(M message);

    /** A receive or handling failed: repair what can be repaired before the next round. */
    default void failed(Throwable failure) {}

    /** How long an item may wait for its message before the sweep takes it for lost; swept twice as often. */
    Duration resendAfter();

    /** Finds the items whose message was lost and sends them again (a duplicate is harmless). */
    void resendLost();
  }

  private final ConsumerParts parts;
  private final Queue<M> queue;

  private volatile boolean running;
  /** Rounds that failed in a row: the wait before the next grows with it. */
  private int failures;
  private Promise<Void> done;
  private long sweepTimer = -1;

  QueueDrainLoop(ConsumerParts parts, Queue<M> queue) {
    this.parts = parts;
    this.queue = queue;
  }

  void start() {
    running = true;
    done = Promise.promise();
    loop();
    long every = Math.max(1000, queue.resendAfter().toMillis() / 2);
    sweepTimer = parts.vertx().setPeriodic(every, every, t -> queue.resendLost());
  }

  /** Stops after the message in hand; a long poll in progress is simply not followed up. */
  Future<Void> stop() {
    if (sweepTimer >= 0) {
      parts.vertx().cancelTimer(sweepTimer);
    }
    running = false;
    return done == null ? Future.succeededFuture() : done.future();
  }

  private void loop() {
    if (!running) {
      done.tryComplete();
      return;
    }
    queue.receive()
        .compose(this::handleAll)
        .onComplete(ar -> {
          if (ar.failed() && running) {
            failures++;
            Duration wait = parts.outage().waitAfter(failures);
            if (OutageRetry.worthLogging(failures)) {
              LOG.warn("group {}: {} not drained (failure {} in a row), trying again in {} ms: {}",
                  parts.config().group(), queue.what(), failures, wait.toMillis(), ar.cause().toString());
            }
            queue.failed(ar.cause());
            parts.vertx().setTimer(wait.toMillis(), t -> loop());
          } else {
            failures = 0;
            loop();
          }
        });
  }

  /**
   * What each queue's {@link Queue#resendLost} does: finds the group's items in {@code status} (the first 100) that
   * {@code lost} picks, and sends each again with {@code resend}, one after another.
   */
  static Future<Void> resendEach(ConsumerParts parts, QuarantineStatus status, Predicate<QuarantineItem> lost,
      Function<QuarantineItem, Future<Void>> resend) {
    return parts.store().list(new QuarantineQuery(Optional.of(status), Optional.empty(),
            Optional.of(parts.config().group()), 100))
        .map(items -> items.stream().filter(lost).toList())
        .compose(items -> {
          Future<Void> chain = Future.succeededFuture();
          for (QuarantineItem item : items) {
            chain = chain.compose(v -> resend.apply(item));
          }
          return chain;
        });
  }

  private Future<Void> handleAll(List<M> messages) {
    Future<Void> chain = Future.succeededFuture();
    for (M m : messages) {
      chain = chain.compose(v -> running ? queue.handle(m) : Future.succeededFuture());
    }
    return chain;
  }
}
