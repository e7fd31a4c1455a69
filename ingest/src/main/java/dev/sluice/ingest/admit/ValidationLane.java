package dev.sluice.ingest.admit;

import dev.sluice.schemas.registry.CostMeter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where a request's schema validation runs. Almost every request validates in microseconds, so it runs on the event
 * loop, but within a small allowance of validation steps ({@link #EVENT_LOOP_ALLOWANCE}, shared by every event of the
 * request) so that the loop is never held for long. A request that spends its allowance is validated again, from the
 * start, on a small worker pool of its own, where each event has the full per-event ceiling
 * ({@link CostMeter#EVENT_CEILING}) that consumers validate with too, so both reach the same verdict.
 *
 * <p>The pool is separate from Vert.x's default workers, which the Kafka clients use: costly validations can only
 * queue behind each other, never delay an append. At most {@link #MAX_WAITING} of them wait or run per verticle; past
 * that the request is answered 503 with Retry-After (memory per waiting request is bounded by the body limit).
 */
public final class ValidationLane {
  /**
   * Steps a request may spend on the event loop: at worst about 15 ms of RE2J's slowest matching (13.5 ns a step
   * measured here), typically microseconds (a 1 KiB event with a few ordinary patterns spends tens of thousands).
   */
  public static final long EVENT_LOOP_ALLOWANCE = 1_000_000L;
  /** Threads of the validation pool, shared by every verticle in the process that validates (gateway, console). */
  public static final int POOL_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
  /** Costly validations waiting or running per lane before it says {@link Busy} (the gateway answers 503). */
  public static final int MAX_WAITING = 64;
  static final String POOL_NAME = "sluice-validation";

  /** The answer when {@link #MAX_WAITING} costly validations are already waiting. */
  public static final class Busy extends RuntimeException {
    Busy() {
      super("too many costly validations are waiting", null, false, false);
    }
  }

  private final WorkerExecutor pool;
  private final AtomicInteger waiting = new AtomicInteger();

  private ValidationLane(WorkerExecutor pool) {
    this.pool = pool;
  }

  /** A lane on the shared validation pool; Vert.x closes this handle when the calling verticle is undeployed. */
  public static ValidationLane create(Vertx vertx) {
    return new ValidationLane(Objects.requireNonNull(vertx, "vertx").createSharedWorkerExecutor(POOL_NAME,
        POOL_THREADS));
  }

  /**
   * Runs {@code work}, which validates through the meters it is given, on the calling event loop within the
   * allowance; if the allowance runs out, again on the validation pool with a fresh per-event meter for each event.
   * The work must be pure (it may run twice). Fails with {@link Busy} when the pool already has enough waiting.
   */
  public <T> Future<T> run(Function<Supplier<CostMeter>, T> work) {
    CostMeter allowance = CostMeter.withCeiling(EVENT_LOOP_ALLOWANCE);
    T onLoop = work.apply(() -> allowance);
    if (!allowance.exhausted()) {
      return Future.succeededFuture(onLoop);
    }
    if (waiting.incrementAndGet() > MAX_WAITING) {
      waiting.decrementAndGet();
      return Future.failedFuture(new Busy());
    }
    // ordered=false: costly requests run side by side on the pool's threads, not one after another.
    return pool.<T>executeBlocking(() -> work.apply(CostMeter::forOneEvent), false)
        .andThen(done -> waiting.decrementAndGet());
  }
}
