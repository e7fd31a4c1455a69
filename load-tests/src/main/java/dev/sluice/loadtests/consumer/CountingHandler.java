package dev.sluice.loadtests.consumer;

import dev.sluice.quarantine.consumer.ConsumedEvent;
import dev.sluice.quarantine.consumer.EventHandler;
import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The empty handler both consumers call: it only counts, and remembers when it was first and last called, so the
 * rate covers the records flowing and not the group join before them.
 */
public final class CountingHandler implements EventHandler {
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong firstNanos = new AtomicLong();
  private final AtomicLong lastNanos = new AtomicLong();

  @Override
  public Future<Void> handle(ConsumedEvent event) {
    return call();
  }

  /** The same work without a decoded event: what the bare consumer calls per record. */
  public Future<Void> call() {
    long now = System.nanoTime();
    firstNanos.compareAndSet(0, now);
    lastNanos.set(now);
    calls.incrementAndGet();
    return Future.succeededFuture();
  }

  public long calls() {
    return calls.get();
  }

  /** When the first record arrived, or 0. */
  public long firstNanos() {
    return firstNanos.get();
  }
}
