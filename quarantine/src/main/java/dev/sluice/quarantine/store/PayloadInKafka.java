package dev.sluice.quarantine.store;

import java.util.Objects;

/**
 * Where the payload of an item too big for the store is kept instead: in its Kafka record, at the item's topic,
 * partition and offset, for as long as the topic retains it. {@code size} and {@code sha256} (lower-case hex) tell
 * the record read back there from any other that might one day stand at that position.
 */
public record PayloadInKafka(long size, String sha256) {
  public PayloadInKafka {
    Objects.requireNonNull(sha256, "sha256");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
  }

  /** The reference to {@code payload}, as its Kafka record holds it. */
  public static PayloadInKafka of(byte[] payload) {
    return new PayloadInKafka(payload.length, QuarantineItem.sha256Hex(payload));
  }
}
