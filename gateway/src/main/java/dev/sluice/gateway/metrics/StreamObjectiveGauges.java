package dev.sluice.gateway.metrics;

import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code sluice_stream_staleness_objective_seconds{stream,topic}}: each stream's staleness objective, as its definition
 * in the registry says now, for the alert that compares the consumers' staleness with it. Prometheus knows nothing of
 * the registry; the gateway holds it (and takes its changes, {@code PUT /v1/streams/{stream}}), so it exports it. The
 * {@code topic} label is what the consumers' per-partition gauges carry, so a rule joins on it.
 *
 * <p>A stream without an objective has no series (not 0, which would say "always stale"). {@link #refresh} rebuilds
 * the rows from the catalog and is called before each scrape, so a changed objective shows at the next scrape and a
 * removed one disappears; it reads the registry's current snapshot and does no I/O, so it may run on the event loop.
 * The labels are bounded by the catalog.
 */
public final class StreamObjectiveGauges {
  public static final String NAME = "sluice.stream.staleness.objective";

  private final Supplier<StreamCatalog> catalog;
  private final MultiGauge gauge;

  public StreamObjectiveGauges(MeterRegistry registry, Supplier<StreamCatalog> catalog) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.gauge = MultiGauge.builder(NAME)
        .description("The stream's staleness objective from its definition: how far behind its newest events a "
            + "consumer group's view may be")
        .baseUnit("seconds")
        .register(registry);
    refresh();
  }

  /** Rows for the streams with an objective now; rows of streams that lost theirs (or went) are removed. */
  public void refresh() {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (StreamDefinition d : catalog.get().streams()) {
      d.about().stalenessObjective().ifPresent(objective -> rows.add(MultiGauge.Row.of(
          Tags.of("stream", d.name(), "topic", d.topic()), objective.toMillis() / 1000.0)));
    }
    gauge.register(rows, true);
  }
}
