package dev.sluice.ingest.kafka;

/** Where the broker acknowledged an appended event. */
public record Appended(String topic, int partition, long offset) {}
