package dev.sluice.quarantine.metrics;

import dev.sluice.quarantine.store.QuarantineReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

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
    counter("sluice.consumer.events.quarantined", "Events diverted to the quarantine store", stream,
        "reason", reason.name()).increment();
  }

  public void attempt(String stream, AttemptOutcome outcome) {
    counter("sluice.consumer.handler.attempts", "Handler calls, by outcome", stream,
        "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
  }

  public void redrive(String stream, RedriveOutcome outcome) {
    counter("sluice.consumer.redrives", "Redrive requests taken by this group, by outcome", stream,
        "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
  }

  public void storeFailure(String stream) {
    counter("sluice.consumer.store.failures", "Quarantine writes that failed; the record is read again", stream)
        .increment();
  }

  /** A counter tagged with stream and group, plus the given extra key/value tags. */
  private Counter counter(String name, String description, String stream, String... extraTags) {
    return Counter.builder(name)
        .description(description)
        .tags("stream", stream, "group", group)
        .tags(extraTags)
        .register(registry);
  }
}
