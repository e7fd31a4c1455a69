package dev.sluice.gateway.dedup;

import dev.sluice.gateway.metrics.GatewayMetrics.IngestOutcome;
import dev.sluice.gateway.metrics.GatewayMetrics;
import dev.sluice.ingest.admit.EventAdmission.AdmittedEvent;
import dev.sluice.ingest.kafka.Appended;
import dev.sluice.ingest.seal.SealingAppender;
import io.vertx.core.Future;
import java.util.Objects;

/**
 * Appends admitted events at most once per (source, id) within the dedup window: a repeat gets the original result,
 * and Kafka is not asked again. Shared by the single-event and the batch handler, so both deduplicate and seal alike.
 *
 * <p>A first append seals the event's marked values ({@link SealingAppender}) before it goes to Kafka; a repeat is not
 * sealed again (nothing is appended). When the key cannot be had the Future fails with the key ring's
 * {@code KeyUnavailableException} and nothing is appended, so the dedup window does not remember the event either.
 */
public final class DedupingAppender {
  private final SealingAppender appender;
  private final Deduplicator dedup;
  private final GatewayMetrics metrics;

  public DedupingAppender(SealingAppender appender, Deduplicator dedup, GatewayMetrics metrics) {
    this.appender = Objects.requireNonNull(appender, "appender");
    this.dedup = Objects.requireNonNull(dedup, "dedup");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** Fresh when this call appended the event (acknowledged with acks=all); Duplicate with the original result. */
  public Future<Dedup> append(AdmittedEvent ok) {
    return dedup.admit(ok.event().source(), ok.event().id(), () -> timedAppend(ok))
        .onSuccess(d -> {
          if (d instanceof Dedup.Duplicate) {
            metrics.deduplicated(ok.stream().name());
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
