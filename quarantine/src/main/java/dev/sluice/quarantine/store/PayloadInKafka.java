package dev.sluice.quarantine.store;

import java.util.Objects;

/**
 * Where the payload of an item too big for the store is kept instead: in its Kafka record, at the item's topic,
 * partition and offset, for as long as the topic retains it. {@code size} and {@code sha256} (lower-case hex) tell
 * the record read back there from any other that might one day stand at that position.
 *
 * @param headersInKafka whether the record's headers are kept there too, not in the item: headers can weigh almost as
 *     much as Kafka's whole record limit, and an item that still did not fit without its payload would never be
 *     written, holding its partition's commit for good
 */
public record PayloadInKafka(long size, String sha256, boolean headersInKafka) {
  public PayloadInKafka {
    Objects.requireNonNull(sha256, "sha256");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
  }

  /** A reference to the payload only; the item keeps the headers. */
  public PayloadInKafka(long size, String sha256) {
    this(size, sha256, false);
  }

  /** The reference to {@code payload}, as its Kafka record holds it. */
  public static PayloadInKafka of(byte[] payload) {
    return new PayloadInKafka(payload.length, QuarantineItem.sha256Hex(payload));
  }

  /** This reference, saying the headers are kept in the record too. */
  public PayloadInKafka withHeadersInKafka() {
    return new PayloadInKafka(size, sha256, true);
  }

  /** Whether {@code read} is the same payload: its size and SHA-256 (where the headers are kept is not compared). */
  public boolean samePayload(PayloadInKafka read) {
    return size == read.size && sha256.equals(read.sha256);
  }
}
