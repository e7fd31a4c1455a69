package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.CountingHandler;
import dev.sluice.quarantine.consumer.EventHandler;
import dev.sluice.quarantine.retry.PoisonPill;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The handlers the wrapper runs in this benchmark; each counts the events it completed on {@code counter}. */
final class SluiceHandlers {
  private SluiceHandlers() {}

  /**
   * I/O-bound without blocking: each call completes {@code wait} later on a Vert.x timer, as a call to another service
   * through a non-blocking client would; no thread waits meanwhile.
   */
  static EventHandler io(Vertx vertx, Duration wait, CountingHandler counter) {
    return event -> vertx.timer(wait.toMillis(), TimeUnit.MILLISECONDS).compose(v -> counter.call());
  }

  /** No I/O: counts, and rejects the records {@link PoisonKeys} names poison with a non-retryable PoisonPill. */
  static EventHandler rejectingPoison(CountingHandler counter) {
    return event -> event.key().filter(PoisonKeys::isPoison).isPresent()
        ? Future.failedFuture(new PoisonPill("peers benchmark: poison by key"))
        : counter.handle(event);
  }

  /** Rejects every event at once (PoisonPill): the key it belongs to is held open behind it. */
  static EventHandler rejectingAll() {
    return event -> Future.failedFuture(new PoisonPill("peers benchmark: held open"));
  }

  /** I/O-bound as {@link #io}, rejecting (at once) the events whose key starts with {@code heldPrefix}. */
  static EventHandler ioRejecting(Vertx vertx, Duration wait, CountingHandler counter, String heldPrefix) {
    EventHandler io = io(vertx, wait, counter);
    return event -> event.key().filter(k -> k.startsWith(heldPrefix)).isPresent()
        ? Future.failedFuture(new PoisonPill("peers benchmark: held open"))
        : io.handle(event);
  }
}
