package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.retry.PoisonPill;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The business logic under the wrapper in these tests, scripted by the product's {@code name}: {@code ok};
 * {@code fail-N} (a retryable failure on the first N calls, then success); {@code fail-forever}; {@code reject}
 * (a non-retryable {@link PoisonPill}). Every call is recorded, in order, with what the handler saw; "applied" lists
 * the product ids it accepted, in the order it accepted them.
 */
final class ScriptedHandler implements EventHandler {
  /** One handler call as seen by the handler. */
  record Call(String productId, String eventId, ConsumedEvent.Delivery delivery, int generation,
      String generationHeader, int partition, long offset, Instant at, boolean succeeded) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  final List<String> applied = new CopyOnWriteArrayList<>();
  /** Offsets of the accepted events, in the order they were accepted. */
  final List<Long> appliedOffsets = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> callsPerEvent = new ConcurrentHashMap<>();

  /** A retryable failure the script asks for. */
  static final class NotYet extends RuntimeException {
    NotYet(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  public Future<Void> handle(ConsumedEvent event) {
    String id = event.data().getString("id");
    String script = event.data().getString("name");
    int n = callsPerEvent.computeIfAbsent(event.event().id(), k -> new AtomicInteger()).incrementAndGet();
    String header = event.headers().stream()
        .filter(h -> h.key().equals(ConsumedEvent.REDRIVE_GENERATION_HEADER))
        .map(h -> h.valueAsString()).findFirst().orElse(null);
    RuntimeException failure = null;
    if (script.equals("reject")) {
      failure = new PoisonPill("product " + id + " is rejected");
    } else if (script.equals("fail-forever")) {
      failure = new NotYet("product " + id + " never works (call " + n + ")");
    } else if (script.startsWith("fail-") && n <= Integer.parseInt(script.substring(5))) {
      failure = new NotYet("product " + id + " not yet (call " + n + ")");
    }
    calls.add(new Call(id, event.event().id(), event.delivery(), event.redriveGeneration(), header,
        event.partition(), event.offset(), Instant.now(), failure == null));
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    applied.add(id);
    appliedOffsets.add(event.offset());
    return Future.succeededFuture();
  }

  /** Threads the {@link #blocking()} form ran on: name, and whether it was an event loop. */
  final List<String> blockingThreads = new CopyOnWriteArrayList<>();

  /** The same script as a blocking handler, for the plain poll loop: a failure is thrown. */
  BlockingEventHandler blocking() {
    return event -> {
      blockingThreads.add(Thread.currentThread().getName()
          + (io.vertx.core.Context.isOnEventLoopThread() ? " (event loop)" : ""));
      Throwable failure = handle(event).cause();
      if (failure instanceof RuntimeException e) {
        throw e;
      }
    };
  }

  List<Call> callsFor(String productId) {
    return calls.stream().filter(c -> c.productId().equals(productId)).toList();
  }

  boolean applied(String productId) {
    return applied.contains(productId);
  }
}
