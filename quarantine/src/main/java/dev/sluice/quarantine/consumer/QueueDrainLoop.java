package dev.sluice.quarantine.consumer;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives from one of the group's SQS queues in a loop and handles each message in turn, one after another. A failed
 * receive or handling waits before the next round, longer with each failure in a row, so an SQS outage is not
 * hammered; {@code onFailure} may repair what it can first (e.g. re-create a queue that vanished). Runs on the
 * consumer's context; never blocks.
 */
final class QueueDrainLoop<M> {
  private static final Logger LOG = LoggerFactory.getLogger(QueueDrainLoop.class);

  private final ConsumerParts parts;
  private final String what;
  private final Supplier<Future<List<M>>> receive;
  private final Function<M, Future<Void>> handle;
  private final Consumer<Throwable> onFailure;

  private volatile boolean running;
  /** Rounds that failed in a row: the wait before the next grows with it. */
  private int failures;
  private Promise<Void> done;

  /**
   * @param what the queue, for the log, e.g. "redrive queue"
   * @param receive one long poll of the queue
   * @param handle one message, to its end (its deletion included)
   */
  QueueDrainLoop(ConsumerParts parts, String what, Supplier<Future<List<M>>> receive,
      Function<M, Future<Void>> handle, Consumer<Throwable> onFailure) {
    this.parts = parts;
    this.what = what;
    this.receive = receive;
    this.handle = handle;
    this.onFailure = onFailure;
  }

  void start() {
    running = true;
    done = Promise.promise();
    loop();
  }

  /** Stops after the message in hand; a long poll in progress is simply not followed up. */
  Future<Void> stop() {
    running = false;
    return done == null ? Future.succeededFuture() : done.future();
  }

  private void loop() {
    if (!running) {
      done.tryComplete();
      return;
    }
    receive.get()
        .compose(this::handleAll)
        .onComplete(ar -> {
          if (ar.failed() && running) {
            failures++;
            Duration wait = parts.outage().waitAfter(failures);
            if (OutageRetry.worthLogging(failures)) {
              LOG.warn("group {}: {} not drained (failure {} in a row), trying again in {} ms: {}",
                  parts.config().group(), what, failures, wait.toMillis(), ar.cause().toString());
            }
            onFailure.accept(ar.cause());
            parts.vertx().setTimer(wait.toMillis(), t -> loop());
          } else {
            failures = 0;
            loop();
          }
        });
  }

  private Future<Void> handleAll(List<M> messages) {
    Future<Void> chain = Future.succeededFuture();
    for (M m : messages) {
      chain = chain.compose(v -> running ? handle.apply(m) : Future.succeededFuture());
    }
    return chain;
  }
}
