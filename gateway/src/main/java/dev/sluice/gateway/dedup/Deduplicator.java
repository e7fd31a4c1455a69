package dev.sluice.gateway.dedup;

import dev.sluice.ingest.kafka.Appended;
import dev.sluice.storekit.marks.StoreKey;
import dev.sluice.storekit.marks.WindowMarks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Appends an event at most once per ({@code source}, {@code id}) within the store's window: a repeat gets the
 * original partition and offset and appends nothing.
 *
 * <p><b>The store</b> marks each accepted event, by {@link StoreKey#of}({@code source}, {@code id}), with where it was
 * appended; the first mark for a key stands until it expires. Two kinds, chosen by deployment:
 * <ul>
 *   <li>{@code InProcessMarks} (default): a bounded LRU map in the gateway's heap. Free and sub-microsecond, but each
 *       replica has its own: a retry that lands on another replica is appended again, and a restart forgets
 *       everything. Entries are evicted early when more than {@code maxEntries} events arrive within the window, so
 *       the guarantee holds for at most {@code maxEntries} recent events (about 200 bytes each).</li>
 *   <li>{@link IdempotencyTable}: a DynamoDB table shared by every replica, with a conditional put and a TTL
 *       attribute. Survives restarts and covers several replicas, with no memory bound in the gateway; costs one
 *       consistent read before and one write after every append (a few milliseconds of latency each, and DynamoDB
 *       request charges per event).</li>
 * </ul>
 *
 * <p><b>In-flight duplicates.</b> A retry often arrives while the first attempt is still waiting for the broker (the
 * client timed out first). The store only knows about finished appends, so this class also keeps the appends in
 * progress in this process: a second request for the same key waits for the first one's result and gets it as a
 * {@link Dedup.Duplicate}; if the first fails, the second fails the same way (nothing was appended; the client
 * retries). The map holds one entry per append in progress, so it is bounded by the requests in flight. Across
 * replicas, two simultaneous first attempts can both append (no shared lock); they then share their event id.
 *
 * <p><b>Only successes are remembered</b>, after the broker acknowledged; a failed append leaves no trace, so the
 * retry appends. The in-flight entry is kept until the store has the result, so there is no gap in between.
 *
 * <p><b>When the store fails</b> (error, or no answer within {@code storeTimeout}) on {@code find}, the event is
 * appended anyway and {@code sluice_gateway_dedup_store_errors_total{operation="find"}} counts it: refusing would turn
 * a store outage into an ingest outage, and the cost of appending is at worst a duplicate, which consumers recognise
 * by its event id. A failed {@code remember} is counted the same way ({@code operation="remember"}); the event is
 * appended and the answer stands.
 *
 * <p>Thread-safe; may be shared by verticle instances. Results reach each caller on its own Vert.x context.
 */
public final class Deduplicator {
  public static final String STORE_ERRORS = "sluice.gateway.dedup.store.errors";
  public static final Duration DEFAULT_STORE_TIMEOUT = Duration.ofSeconds(1);

  private static final System.Logger LOG = System.getLogger(Deduplicator.class.getName());

  private final WindowMarks<Appended> store;
  private final Duration storeTimeout;
  private final Counter findErrors;
  private final Counter rememberErrors;
  private final ConcurrentMap<StoreKey, Future<Appended>> inFlight = new ConcurrentHashMap<>();

  public Deduplicator(WindowMarks<Appended> store, Duration storeTimeout, MeterRegistry meters) {
    this.store = Objects.requireNonNull(store, "store");
    this.storeTimeout = Objects.requireNonNull(storeTimeout, "storeTimeout");
    this.findErrors = storeErrors(meters, "find");
    this.rememberErrors = storeErrors(meters, "remember");
  }

  private static Counter storeErrors(MeterRegistry meters, String operation) {
    return Counter.builder(STORE_ERRORS)
        .description("Idempotency store calls that failed or timed out; on find the event was appended unchecked")
        .tag("operation", operation)
        .register(meters);
  }

  /**
   * Appends the event with {@code append} unless it was accepted within the window, or is being appended now.
   *
   * @param append called at most once, and only when the event is new
   */
  public Future<Dedup> admit(String source, String id, Supplier<Future<Appended>> append) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(id, "id");
    StoreKey key = StoreKey.of(source, id);
    Promise<Appended> mine = Promise.promise();
    Future<Appended> earlier = inFlight.putIfAbsent(key, mine.future());
    if (earlier != null) {
      return onCallersContext(earlier.map(Dedup.Duplicate::new));
    }
    Future<Dedup> result = find(key).compose(found -> found.isPresent()
        ? Future.succeededFuture(new Dedup.Duplicate(found.get()))
        : appendOnce(append).map(Dedup.Fresh::new));
    result.onComplete((dedup, err) -> {
      if (err != null) {
        inFlight.remove(key, mine.future());
        mine.fail(err);
        return;
      }
      mine.complete(dedup.appended());
      if (dedup instanceof Dedup.Fresh fresh) {
        remember(key, fresh.appended()).onComplete((ok, e) -> inFlight.remove(key, mine.future()));
      } else {
        inFlight.remove(key, mine.future());
      }
    });
    return result;
  }

  /** Appends in progress in this process (for tests and a gauge). */
  public int inFlight() {
    return inFlight.size();
  }

  private Future<Optional<Appended>> find(StoreKey key) {
    return guarded(() -> store.find(key))
        .recover(err -> {
          findErrors.increment();
          LOG.log(System.Logger.Level.WARNING, "idempotency store find failed; appending without the check: {0}",
              err.toString());
          return Future.succeededFuture(Optional.empty());
        });
  }

  private Future<Void> remember(StoreKey key, Appended appended) {
    // Losing to an earlier, still valid, mark is the point: that first result is the one duplicates get.
    return guarded(() -> store.markFirst(key, appended).<Void>mapEmpty())
        .recover(err -> {
          rememberErrors.increment();
          LOG.log(System.Logger.Level.WARNING,
              "idempotency store remember failed; a retry of this event would be appended again: {0}", err.toString());
          return Future.succeededFuture();
        });
  }

  private <T> Future<T> guarded(Supplier<Future<T>> call) {
    try {
      return call.get().timeout(storeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static Future<Appended> appendOnce(Supplier<Future<Appended>> append) {
    try {
      return Objects.requireNonNull(append.get(), "append returned null");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * The first request's Future completes on the first request's thread; a waiting duplicate may belong to another
   * event loop, which must write its own answer. Hop back to the caller's context.
   */
  private static <T> Future<T> onCallersContext(Future<T> f) {
    Context ctx = Vertx.currentContext();
    if (ctx == null) {
      return f;
    }
    Promise<T> p = Promise.promise();
    f.onComplete((v, err) -> ctx.runOnContext(ignored -> {
      if (err != null) {
        p.fail(err);
      } else {
        p.complete(v);
      }
    }));
    return p.future();
  }
}
