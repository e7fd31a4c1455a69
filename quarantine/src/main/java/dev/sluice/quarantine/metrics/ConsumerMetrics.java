package dev.sluice.quarantine.metrics;

import dev.sluice.quarantine.store.QuarantineReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The wrapper's meters. Labels are bounded: stream (from the catalog or the subscribed topic), group, reason and
 * outcome (fixed enums). Never event ids or keys.
 */
public final class ConsumerMetrics {
  private final MeterRegistry registry;
  private final String group;

  public ConsumerMetrics(MeterRegistry registry, String group) {
    this.registry = registry;
    this.group = group;
  }

  /** The outcome of one handler call. */
  public enum AttemptOutcome {
    SUCCESS, RETRYABLE_FAILURE, NON_RETRYABLE_FAILURE
  }

  /** The outcome of one redrive request. */
  public enum RedriveOutcome {
    RESOLVED, REQUARANTINED, STALE
  }

  public void handled(String stream) {
    counter("sluice.consumer.events.handled", "Events the handler accepted", stream).increment();
  }

  public void quarantined(String stream, QuarantineReason reason) {
    Counter.builder("sluice.consumer.events.quarantined")
        .description("Events diverted to the quarantine store")
        .tags("stream", stream, "group", group, "reason", reason.name())
        .register(registry)
        .increment();
  }

  public void attempt(String stream, AttemptOutcome outcome) {
    Counter.builder("sluice.consumer.handler.attempts")
        .description("Handler calls, by outcome")
        .tags("stream", stream, "group", group, "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
        .register(registry)
        .increment();
  }

  public void redrive(String stream, RedriveOutcome outcome) {
    Counter.builder("sluice.consumer.redrives")
        .description("Redrive requests taken by this group, by outcome")
        .tags("stream", stream, "group", group, "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
        .register(registry)
        .increment();
  }

  public void storeFailure(String stream) {
    counter("sluice.consumer.store.failures", "Quarantine writes that failed; the record is read again", stream)
        .increment();
  }

  private Counter counter(String name, String description, String stream) {
    return Counter.builder(name).description(description).tags("stream", stream, "group", group).register(registry);
  }
}
