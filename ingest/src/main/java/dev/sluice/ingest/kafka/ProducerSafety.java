package dev.sluice.ingest.kafka;

/**
 * How the gateway protects the meaning of a 2xx and its own memory on the Kafka side.
 *
 * @param allowUnsafe when false (the default) the gateway refuses to start if the Kafka client properties weaken
 *     durability ({@code acks} other than {@code all}/{@code -1}, {@code enable.idempotence=false},
 *     {@code max.in.flight.requests.per.connection} above 5); when true it starts anyway, logs a WARNING per setting,
 *     and honours the settings as given
 * @param maxInFlightAppends how many appends may wait for Kafka at once; one more is refused at once (503) instead
 *     of queueing without bound
 * @param maxInFlightBytes how many bytes of event data (value, key, headers) may wait for Kafka at once; bounds memory
 *     even when every event is near the body limit
 */
public record ProducerSafety(boolean allowUnsafe, int maxInFlightAppends, long maxInFlightBytes) {
  public static final int DEFAULT_MAX_IN_FLIGHT_APPENDS = 10_000;
  public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 64L * 1024 * 1024;

  public ProducerSafety {
    if (maxInFlightAppends < 1) {
      throw new IllegalArgumentException("maxInFlightAppends must be at least 1, was " + maxInFlightAppends);
    }
    if (maxInFlightBytes < 1) {
      throw new IllegalArgumentException("maxInFlightBytes must be at least 1, was " + maxInFlightBytes);
    }
  }

  /** Unsafe settings refused; 10,000 appends and 64 MiB in flight. */
  public static ProducerSafety defaults() {
    return new ProducerSafety(false, DEFAULT_MAX_IN_FLIGHT_APPENDS, DEFAULT_MAX_IN_FLIGHT_BYTES);
  }
}
