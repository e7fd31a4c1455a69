package dev.sluice.gateway.dedup;

import dev.sluice.gateway.metrics.GatewayMetrics.IngestOutcome;
import dev.sluice.gateway.metrics.GatewayMetrics;
import dev.sluice.gateway.producers.ProducerTally;
import dev.sluice.ingest.admit.EventAdmission.AdmittedEvent;
import dev.sluice.ingest.kafka.Appended;
import dev.sluice.ingest.seal.SealingAppender;
import io.vertx.core.Future;
import java.util.Objects;
import java.util.Optional;

/**
 * Appends admitted events at most once per (source, id) within the dedup window: a repeat gets the original result,
 * and Kafka is not asked again. Shared by the single-event and the batch handler, so both deduplicate and seal alike.
 *
 * <p>A first append seals the event's marked values ({@link SealingAppender}) before it goes to Kafka; a repeat is not
 * sealed again (nothing is appended). When the key cannot be had the Future fails with the key ring's
 * {@code KeyUnavailableException} and nothing is appended, so the dedup window does not remember the event either.
 *
 * <p>A first append the broker acknowledged is counted for the API key that posted it ({@link ProducerTally}); a
 * repeat appends nothing and is not counted.
 */
public final class DedupingAppender {
  private final SealingAppender appender;
  private final Deduplicator dedup;
  private final GatewayMetrics metrics;
  private final ProducerTally producers;

  public DedupingAppender(SealingAppender appender, Deduplicator dedup, GatewayMetrics metrics,
      ProducerTally producers) {
    this.appender = Objects.requireNonNull(appender, "appender");
    this.dedup = Objects.requireNonNull(dedup, "dedup");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.producers = Objects.requireNonNull(producers, "producers");
  }

  /**
   * Fresh when this call appended the event (acknowledged with acks=all); Duplicate with the original result.
   *
   * @param keyName the name of the API key the event was posted with, counted for a fresh append; empty: not counted
   */
  public Future<Dedup> append(AdmittedEvent ok, Optional<String> keyName) {
    return dedup.admit(ok.event().source(), ok.event().id(), () -> timedAppend(ok))
        .onSuccess(d -> {
          if (d instanceof Dedup.Duplicate) {
            metrics.deduplicated(ok.stream().name());
          } else {
            keyName.ifPresent(key -> producers.appended(ok.stream().name(), key, 1));
          }
        });
  }

  private Future<Appended> timedAppend(AdmittedEvent ok) {
    long started = System.nanoTime();
    return appender.append(ok)
        .onComplete(ar -> metrics.appendDuration(ok.stream().name(),
            ar.succeeded() ? IngestOutcome.ACCEPTED : IngestOutcome.FAILED, System.nanoTime() - started));
  }
}
