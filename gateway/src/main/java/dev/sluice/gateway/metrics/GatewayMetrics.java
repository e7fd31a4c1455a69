package dev.sluice.gateway.metrics;

import dev.sluice.gateway.ingest.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's meters. Every tag value is bounded: streams and types come from the catalog (or are
 * {@code unknown}), reasons and outcomes from enums. Never an event id.
 *
 * <p>Prometheus names: {@code sluice_gateway_events_accepted_total}, {@code sluice_gateway_events_rejected_total},
 * {@code sluice_gateway_ingest_duration_seconds} (histogram: {@code _bucket}, {@code _count}, {@code _sum}).
 */
public final class GatewayMetrics {
  public static final String ACCEPTED = "sluice.gateway.events.accepted";
  public static final String REJECTED = "sluice.gateway.events.rejected";
  public static final String INGEST_DURATION = "sluice.gateway.ingest.duration";
  public static final String UNAVAILABLE = "sluice.gateway.unavailable";

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

  public void rejected(String stream, String type, RejectReason reason) {
    Counter.builder(REJECTED)
        .description("Ingest requests that did not end in an append, by reason")
        .tag("stream", stream)
        .tag("type", type)
        .tag("reason", reason.label())
        .register(registry)
        .increment();
  }

  public void ingestDuration(String stream, IngestOutcome outcome, long nanos) {
    Timer.builder(INGEST_DURATION)
        .description("Time from a complete request body to the answer, the Kafka acknowledgement included")
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
   * {@code sluice_gateway_unavailable_total{cause}}. {@code cause} is a label of the bounded enum
   * {@code dev.sluice.gateway.kafka.AppendFailure} (taken as text so that this package does not depend on kafka).
   */
  public void unavailable(String cause) {
    Counter.builder(UNAVAILABLE)
        .description("Appends that Kafka did not acknowledge and a retry may fix (answered 503), by cause")
        .tag("cause", cause)
        .register(registry)
        .increment();
  }
}
