package dev.sluice.loadtests.ingest;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * One run of one throughput variant, in a JFR recording ({@code --profile}): its span tells {@link ProfileSummary}
 * which execution samples belong to which variant. Costs nothing when nothing records.
 */
@Name(IngestRunEvent.NAME)
@Label("Ingest benchmark run")
@Category({"Sluice", "Benchmark"})
@Description("One run (warm-up or round) of one variant of the ingest benchmark")
final class IngestRunEvent extends Event {
  static final String NAME = "dev.sluice.loadtests.IngestRun";

  @Label("Variant")
  String variant;

  IngestRunEvent(String variant) {
    this.variant = variant;
  }
}
