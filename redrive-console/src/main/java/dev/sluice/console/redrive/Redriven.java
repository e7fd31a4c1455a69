package dev.sluice.console.redrive;

import dev.sluice.ingest.kafka.Appended;
import dev.sluice.quarantine.store.QuarantineItem;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of an accepted redrive.
 *
 * @param item the item as stored after it: REDRIVEN when handed to its consumer group's queue; RESOLVED when an
 *     ingress reject was appended to its stream (REDRIVEN if that last write failed, see {@link IngressRedrive})
 * @param appendedTo where an ingress reject was appended; empty for a consumer-group redrive
 */
public record Redriven(QuarantineItem item, Optional<Appended> appendedTo) {
  public Redriven {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(appendedTo, "appendedTo");
  }
}
