package dev.sluice.storekit.producers;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The reports kept of a stream's producers, as read at {@code readAt}: the time against which a reader judges which
 * are current ({@link ProducerReport#liveAt}).
 *
 * @param reports every report not past its retention, one per (API key name, gateway instance)
 * @param readAt when they were read
 */
public record ProducersSeen(List<ProducerReport> reports, Instant readAt) {
  public ProducersSeen {
    reports = List.copyOf(reports);
    Objects.requireNonNull(readAt, "readAt");
  }
}
