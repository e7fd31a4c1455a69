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
 * (a non-retryable {@link PoisonPill}); {@code hold} (the call ends, successfully, when the test calls
 * {@link #release}); whatever the script, every call is rejected while {@link #rejectEverything} is on (a consumer
 * bug). Every call is recorded, in order, with what the handler saw; "applied" lists
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
  /**
   * When above zero, every call ends this many ms or fewer after it starts (a Vert.x timer, or a sleep in the blocking
   * form), by a wait drawn from the event's id: calls of different events end out of their order, as real I/O does,
   * so that records handled side by side finish in any order.
   */
  private volatile int endWithinMs;
  /** Calls started and not ended, now and at most; calls of one key that overlapped (never, when order is kept). */
  final AtomicInteger inHand = new AtomicInteger();
  final AtomicInteger mostInHand = new AtomicInteger();
  final List<String> sameKeyOverlaps = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> inHandPerKey = new ConcurrentHashMap<>();
  /** The calls of {@code hold} events, by product id, with the context they were called on. */
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  private record Held(io.vertx.core.Context context, io.vertx.core.Promise<Void> promise) {}

  /** A retryable failure the script asks for. */
  static final class NotYet extends RuntimeException {
    NotYet(String message) {
      super(message, null, false, false);
    }
  }

  /** While on, every call is rejected with a {@link PoisonPill}, whatever its script: a bug that rejects every event. */
  private volatile boolean rejectAll;

  /** Turns the bug that rejects every event on (a bad deploy) or off (the fix). */
  void rejectEverything(boolean on) {
    this.rejectAll = on;
  }

  /** Calls end after a wait of up to {@code ms}, drawn per event (see {@link #endWithinMs}). */
  void endWithin(int ms) {
    this.endWithinMs = ms;
  }

  /** Ends the held call of this product, on the context it was called on (where the wrapper expects its end). */
  void release(String productId) {
    Held h = held.remove(productId);
    h.context().runOnContext(v -> h.promise().complete());
  }

  @Override
  public Future<Void> handle(ConsumedEvent event) {
    String key = event.data().getString("id");
    entered(key);
    Future<Void> outcome;
    if ("hold".equals(event.data().getString("name"))) {
      calls.add(new Call(key, event.event().id(), event.delivery(), event.redriveGeneration(), null,
          event.partition(), event.offset(), Instant.now(), true));
      io.vertx.core.Promise<Void> promise = io.vertx.core.Promise.promise();
      held.put(key, new Held(io.vertx.core.Vertx.currentContext(), promise));
      outcome = promise.future();
    } else {
      outcome = script(event);
      int within = endWithinMs;
      if (within > 0) {
        // The same wait on every call of one event; spread over events.
        long waitMs = 1 + Math.floorMod(event.event().id().hashCode(), within);
        Future<Void> scripted = outcome;
        outcome = io.vertx.core.Vertx.currentContext().owner().timer(waitMs).transform(v -> scripted);
      }
    }
    return outcome.andThen(ar -> left(key));
  }

  private void entered(String key) {
    int now = inHand.incrementAndGet();
    mostInHand.accumulateAndGet(now, Math::max);
    if (inHandPerKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
      sameKeyOverlaps.add(key);
    }
  }

  private void left(String key) {
    inHandPerKey.get(key).decrementAndGet();
    inHand.decrementAndGet();
  }

  private Future<Void> script(ConsumedEvent event) {
    String id = event.data().getString("id");
    String script = event.data().getString("name");
    int n = callsPerEvent.computeIfAbsent(event.event().id(), k -> new AtomicInteger()).incrementAndGet();
    String header = event.headers().stream()
        .filter(h -> h.key().equals(ConsumedEvent.REDRIVE_GENERATION_HEADER))
        .map(h -> h.valueAsString()).findFirst().orElse(null);
    RuntimeException failure = null;
    if (rejectAll) {
      failure = new PoisonPill("every event is rejected (call " + n + " of product " + id + ")");
    } else if (script.equals("reject")) {
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
      String key = event.data().getString("id");
      entered(key);
      try {
        int within = endWithinMs;
        if (within > 0) {
          Thread.sleep(1 + Math.floorMod(event.event().id().hashCode(), within));
        }
        Throwable failure = script(event).cause();
        if (failure instanceof RuntimeException e) {
          throw e;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NotYet("interrupted before the call ended");
      } finally {
        left(key);
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
