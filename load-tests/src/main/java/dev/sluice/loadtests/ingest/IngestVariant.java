package dev.sluice.loadtests.ingest;

/**
 * The throughput variants the rounds interleave, in the order each round runs them (reversed every other round).
 * The order keeps every compared pair next to each other: (b) after (a), batches on beside off, single events on
 * beside off and beside the bare handler.
 */
enum IngestVariant {
  RAW("(a) raw Kafka producer", "records/s"),
  BATCH_ON("(b) gateway, batches, validation on", "events/s"),
  BATCH_OFF("(d) gateway, batches, validation off", "events/s"),
  SINGLE_OFF("(d) gateway, single events, validation off", "events/s"),
  SINGLE_ON("(c) gateway, single events, validation on", "events/s"),
  BARE("(c) bare Vert.x handler", "requests/s");

  private final String label;
  private final String unit;

  IngestVariant(String label, String unit) {
    this.label = label;
    this.unit = unit;
  }

  /** Its name in the rounds' results and in the progress output. */
  String label() {
    return label;
  }

  /** What its rate counts, per second. */
  String unit() {
    return unit;
  }
}
