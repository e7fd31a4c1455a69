package dev.sluice.gateway.metrics;

import dev.sluice.ingest.IngestProblem;
import dev.sluice.ingest.kafka.AppendFailure;
import dev.sluice.ingest.kafka.AppendObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's meters. Every tag value is bounded: streams and types come from the catalog (or are
 * {@code unknown}), reasons from the ingest problem types (or {@value #BATCH_ABORTED}), outcomes from an enum. Never
 * an event id.
 *
 * <p>Prometheus names: {@code sluice_gateway_events_accepted_total}, {@code sluice_gateway_events_rejected_total},
 * {@code sluice_gateway_ingest_duration_seconds} (histogram: {@code _bucket}, {@code _count}, {@code _sum}).
 */
public final class GatewayMetrics implements AppendObserver {
  public static final String ACCEPTED = "sluice.gateway.events.accepted";
  public static final String REJECTED = "sluice.gateway.events.rejected";
  public static final String INGEST_DURATION = "sluice.gateway.ingest.duration";
  public static final String BATCH_EVENTS = "sluice.gateway.batch.events";
  public static final String VALIDATION_DURATION = "sluice.gateway.validation.duration";
  public static final String APPEND_DURATION = "sluice.gateway.append.duration";
  public static final String UNAVAILABLE = "sluice.gateway.unavailable";
  public static final String DEDUPLICATED = "sluice.gateway.events.deduplicated";
  /** The {@code reason} of a valid batch event not appended because another event of its batch was rejected. */
  public static final String BATCH_ABORTED = "batch_aborted";

  /** How one ingest request ended. */
  public enum IngestOutcome {
    /** Appended and acknowledged: 202. */
    ACCEPTED,
    /** Refused for what the client sent: 4xx. */
    REJECTED,
    /** Valid, but Kafka did not acknowledge it: 503. */
    FAILED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry registry;

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  public void accepted(String stream, String type) {
    Counter.builder(ACCEPTED)
        .description("Events appended to Kafka and acknowledged by the broker")
        .tag("stream", stream)
        .tag("type", type)
        .register(registry)
        .increment();
  }

  /** One event or request that did not end in an append, by its problem's label ({@code reason}). */
  public void rejected(String stream, String type, IngestProblem problem) {
    rejected(stream, type, problem.label());
  }

  /** One valid event of an all-or-nothing batch, not appended because another event of it was rejected. */
  public void aborted(String stream, String type) {
    rejected(stream, type, BATCH_ABORTED);
  }

  private void rejected(String stream, String type, String reason) {
    Counter.builder(REJECTED)
        .description("Ingest requests that did not end in an append, by reason")
        .tag("stream", stream)
        .tag("type", type)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  public void ingestDuration(String stream, IngestOutcome outcome, long nanos) {
    brokerBoundDuration(INGEST_DURATION,
        "Time from a complete request body to the answer, the Kafka acknowledgement included", stream, outcome, nanos);
  }

  /** The number of events in one batch request that was read (a refused body is not a batch). */
  public void batchEvents(String stream, int events) {
    DistributionSummary.builder(BATCH_EVENTS)
        .description("Events per batch request")
        .baseUnit("events")
        .tag("stream", stream)
        .publishPercentileHistogram()
        .minimumExpectedValue(1.0)
        .maximumExpectedValue(10_000.0)
        .register(registry)
        .record(events);
  }

  /** Time spent validating one event's data against its schema version. */
  public void validationDuration(String stream, long nanos) {
    Timer.builder(VALIDATION_DURATION)
        .description("Time to validate one event's data against its schema version")
        .tag("stream", stream)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(1_000))
        .maximumExpectedValue(Duration.ofSeconds(1))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Time from handing one event to the producer to the broker's acknowledgement (or the failure). */
  public void appendDuration(String stream, IngestOutcome outcome, long nanos) {
    brokerBoundDuration(APPEND_DURATION,
        "Time from handing one event to the Kafka producer to its acknowledgement (acks=all) or failure", stream,
        outcome, nanos);
  }

  /**
   * A time that includes the wait for the broker's acknowledgement, by stream and outcome, over one histogram range
   * (1 ms to 60 s), so that the ingest and append timers compare bucket for bucket.
   */
  private void brokerBoundDuration(String name, String description, String stream, IngestOutcome outcome,
      long nanos) {
    Timer.builder(name)
        .description(description)
        .tag("stream", stream)
        .tag("outcome", outcome.label())
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * One append that failed for a reason a retry may overcome (answered 503 with Retry-After), by cause:
   * {@code sluice_gateway_unavailable_total{cause}}, {@code cause} the append failure's bounded label.
   */
  @Override
  public void unavailable(AppendFailure cause) {
    unavailableCounter(cause.label()).increment();
  }

  /**
   * Exports {@code sluice_gateway_unavailable_total} at zero for every cause before any 503, so that the alert over
   * its rate sees a series from the start (the causes are a bounded enum).
   */
  public void unavailableStartsAtZero() {
    for (AppendFailure cause : AppendFailure.values()) {
      unavailableCounter(cause.label());
    }
  }

  private Counter unavailableCounter(String cause) {
    return Counter.builder(UNAVAILABLE)
        .description("Appends that Kafka did not acknowledge and a retry may fix (answered 503), by cause")
        .tag("cause", cause)
        .register(registry);
  }

  /**
   * One event whose (source, id) was already accepted within the dedup window: answered with the original result,
   * not appended again. {@code sluice_gateway_events_deduplicated_total{stream}}.
   */
  public void deduplicated(String stream) {
    Counter.builder(DEDUPLICATED)
        .description("Events answered with the result of an earlier accepted event with the same source and id")
        .tag("stream", stream)
        .register(registry)
        .increment();
  }
}
