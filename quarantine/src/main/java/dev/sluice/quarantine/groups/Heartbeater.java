package dev.sluice.quarantine.groups;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Sends an instance's heartbeat every {@code interval} on a Vert.x timer, until stopped; a clean stop removes the
 * instance from the registry at once.
 *
 * <p>Threading: all state lives on one Vert.x context (the caller's, or a new event-loop context), so there are no
 * locks; the supplier is called there and must not block (a {@link SchemaVersionsSeen#snapshot()} is cheap). The next
 * heartbeat is scheduled only when the previous one finished, so a slow registry never piles up calls. A failed
 * heartbeat is logged and counted, and the next one is tried as usual: the registry's liveness window spans several
 * intervals, so an instance survives a few lost heartbeats.
 */
public final class Heartbeater {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private static final System.Logger LOG = System.getLogger(Heartbeater.class.getName());

  private final Vertx vertx;
  private final Context context;
  private final HeartbeatSink sink;
  private final Supplier<GroupHeartbeat> current;
  private final long intervalMillis;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  // Confined to the context.
  private boolean started;
  private boolean stopped;
  private long timerId = -1;
  private Future<Void> inFlight = Future.succeededFuture();
  private GroupHeartbeat lastSent;
  private Future<Void> stopping;

  public Heartbeater(Vertx vertx, HeartbeatSink sink, Supplier<GroupHeartbeat> current, Duration interval) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.current = Objects.requireNonNull(current, "current");
    if (interval.toMillis() < 1) {
      throw new IllegalArgumentException("the heartbeat interval must be positive, was " + interval);
    }
    this.intervalMillis = interval.toMillis();
    this.context = vertx.getOrCreateContext();
  }

  /**
   * Sends the first heartbeat now and schedules the next ones. The Future completes with the first heartbeat's result;
   * the heartbeats go on whatever it was. Starting twice does nothing more.
   */
  public Future<Void> start() {
    Promise<Void> first = Promise.promise();
    context.runOnContext(v -> {
      if (started || stopped) {
        first.complete();
        return;
      }
      started = true;
      beat().onComplete(first);
    });
    return first.future();
  }

  /**
   * Stops the heartbeats: cancels the timer, waits for a heartbeat in progress (so it cannot re-create the item after
   * the removal), then removes this instance from the registry. Completes with the removal's result; idempotent.
   */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (stopping == null) {
        stopped = true;
        if (timerId >= 0) {
          vertx.cancelTimer(timerId);
          timerId = -1;
        }
        // lastSent is read after the heartbeat in progress finished, on the context, so that one counts too.
        stopping = inFlight.transform(ignored -> lastSent == null
            ? Future.<Void>succeededFuture()
            : sink.remove(lastSent.group(), lastSent.instanceId()));
      }
      stopping.onComplete(done);
    });
    return done.future();
  }

  /** Heartbeats the registry accepted. */
  public long sent() {
    return sent.get();
  }

  /** Heartbeats that failed (or whose supplier failed). */
  public long failed() {
    return failed.get();
  }

  /** On the context. Sends one heartbeat, then schedules the next unless stopped meanwhile. */
  private Future<Void> beat() {
    Future<Void> call;
    GroupHeartbeat hb = null;
    try {
      hb = Objects.requireNonNull(current.get(), "the heartbeat supplier returned null");
      call = Objects.requireNonNull(sink.heartbeat(hb), "the sink returned null");
    } catch (RuntimeException e) {
      call = Future.failedFuture(e);
    }
    GroupHeartbeat attempted = hb;
    Promise<Void> finished = Promise.promise();
    // The sink may complete on another thread: come back to the context before touching state.
    call.onComplete(ar -> context.runOnContext(v -> {
      if (ar.succeeded()) {
        sent.incrementAndGet();
      } else {
        failed.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "group heartbeat failed; trying again in {0} ms: {1}", intervalMillis,
            ar.cause().toString());
      }
      if (attempted != null) {
        // Even a failed put may have been stored: remember it so stop() removes it.
        lastSent = attempted;
      }
      if (!stopped) {
        timerId = vertx.setTimer(intervalMillis, id -> {
          timerId = -1;
          if (!stopped) {
            beat();
          }
        });
      }
      finished.handle(ar);
    }));
    inFlight = finished.future().transform(ar -> Future.succeededFuture());
    return finished.future();
  }
}
