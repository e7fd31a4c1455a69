package dev.sluice.gateway.capture;

import dev.sluice.gateway.auth.TokenBucket;
import io.micrometer.core.instrument.Counter;
import java.util.Collection;
import java.util.List;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Caps what reaches the real sink, so that storing rejects cannot amplify a flood of bad requests: a token bucket
 * ({@code perSecond}, {@code burst}) bounds the write rate, and at most {@code maxInFlight} captures are outstanding at
 * once, which bounds the memory held by bodies waiting for a slow store and the worker threads it blocks.
 *
 * <p>Never fails: the returned Future always succeeds, whatever happens. Meters, each tagged by {@code stream}
 * (streams come from the catalog, so the label is bounded):
 * <ul>
 *   <li>{@code sluice_gateway_rejects_captured_total}: stored;</li>
 *   <li>{@code sluice_gateway_rejects_capture_dropped_total{cause="rate_cap"|"in_flight_cap"}}: not even tried;</li>
 *   <li>{@code sluice_gateway_rejects_capture_failed_total}: tried, and the sink failed (also logged).</li>
 * </ul>
 */
public final class RateCappedRejectSink implements RejectSink {
  public static final String CAPTURED = "sluice.gateway.rejects.captured";
  public static final String DROPPED = "sluice.gateway.rejects.capture.dropped";
  public static final String FAILED = "sluice.gateway.rejects.capture.failed";
  public static final int DEFAULT_MAX_IN_FLIGHT = 8;

  private static final System.Logger LOG = System.getLogger(RateCappedRejectSink.class.getName());

  private static final String CAPTURED_HELP = "Rejected ingest requests stored for operators to inspect and redrive";
  private static final String FAILED_HELP = "Rejected ingest requests whose capture failed (logged)";
  private static final List<String> DROP_CAUSES = List.of("in_flight_cap", "rate_cap");

  private final RejectSink delegate;
  private final TokenBucket bucket;
  private final int maxInFlight;
  private final MeterRegistry meters;
  private final AtomicInteger inFlight = new AtomicInteger();

  public RateCappedRejectSink(
      RejectSink delegate, double perSecond, int burst, LongSupplier nanoTime, MeterRegistry meters) {
    this(delegate, perSecond, burst, DEFAULT_MAX_IN_FLIGHT, nanoTime, meters);
  }

  public RateCappedRejectSink(
      RejectSink delegate, double perSecond, int burst, int maxInFlight, LongSupplier nanoTime, MeterRegistry meters) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.bucket = new TokenBucket(perSecond, burst, nanoTime);
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  @Override
  public Future<Void> capture(RejectedEvent e) {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      dropped(e.stream(), "in_flight_cap");
      return Future.succeededFuture();
    }
    if (bucket.tryTake() != 0) {
      inFlight.decrementAndGet();
      dropped(e.stream(), "rate_cap");
      return Future.succeededFuture();
    }
    Future<Void> stored;
    try {
      stored = Objects.requireNonNull(delegate.capture(e), "capture returned null");
    } catch (RuntimeException err) {
      stored = Future.failedFuture(err);
    }
    return stored.transform(ar -> {
      inFlight.decrementAndGet();
      if (ar.succeeded()) {
        counter(CAPTURED, CAPTURED_HELP, e.stream())
            .increment();
      } else {
        counter(FAILED, FAILED_HELP, e.stream()).increment();
        LOG.log(System.Logger.Level.WARNING, "could not capture a rejected event of stream {0}: {1}", e.stream(),
            ar.cause().toString());
      }
      return Future.<Void>succeededFuture();
    });
  }

  /**
   * Exports the capture counters of these streams at zero, before anything happened: an alert or a dashboard over
   * {@code rate(...)} then sees a series from the start instead of no data (the streams and causes are bounded).
   */
  public RateCappedRejectSink startAtZero(Collection<String> streams) {
    for (String stream : streams) {
      counter(CAPTURED, CAPTURED_HELP, stream);
      counter(FAILED, FAILED_HELP, stream);
      for (String cause : DROP_CAUSES) {
        droppedCounter(stream, cause);
      }
    }
    return this;
  }

  private void dropped(String stream, String cause) {
    droppedCounter(stream, cause).increment();
  }

  private Counter droppedCounter(String stream, String cause) {
    return Counter.builder(DROPPED)
        .description("Rejected ingest requests not stored because the capture rate or in-flight cap was reached")
        .tag("stream", stream)
        .tag("cause", cause)
        .register(meters);
  }

  private Counter counter(String name, String description, String stream) {
    return Counter.builder(name).description(description).tag("stream", stream).register(meters);
  }
}
