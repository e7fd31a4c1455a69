package dev.sluice.ingest.kafka;

/** Where the broker acknowledged an appended event. */
public record Appended(String topic, int partition, long offset) {
  /** {@code topic-partition@offset}, e.g. {@code retail-1@42}. */
  public String position() {
    return topic + "-" + partition + "@" + offset;
  }
}
