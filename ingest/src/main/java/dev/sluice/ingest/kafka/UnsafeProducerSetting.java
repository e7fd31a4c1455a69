package dev.sluice.ingest.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * One Kafka producer setting that would break what a 2xx promises, with the reason. {@link #find} is the pure check
 * the gateway runs at start-up.
 *
 * @param key the Kafka client property
 * @param value the value it was given
 * @param why what goes wrong with that value
 */
public record UnsafeProducerSetting(String key, String value, String why) {
  /** Idempotence keeps ordering and de-duplication only up to this many in-flight requests per connection. */
  public static final int MAX_IN_FLIGHT_WITH_IDEMPOTENCE = 5;

  public UnsafeProducerSetting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(why, "why");
  }

  /** {@code key=value}: why. */
  public String describe() {
    return key + "=" + value + ": " + why;
  }

  /** The unsafe settings among the client properties, in a fixed order; empty when they are safe. */
  public static List<UnsafeProducerSetting> find(Map<String, String> clientProps) {
    List<UnsafeProducerSetting> out = new ArrayList<>();
    String acks = clientProps.get(ProducerConfig.ACKS_CONFIG);
    if (acks != null && !acksAll(acks)) {
      out.add(new UnsafeProducerSetting(ProducerConfig.ACKS_CONFIG, acks,
          "a 2xx must mean every in-sync replica has the event; only acks=all (or -1) waits for that, so a broker "
              + "failure right after the answer could lose an event the client was told is stored"));
    }
    String idempotence = clientProps.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
    if (idempotence != null && !idempotence.trim().equalsIgnoreCase("true")) {
      out.add(new UnsafeProducerSetting(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotence,
          "without idempotence the producer's own retries can write an event twice or reorder events of one key"));
    }
    String inFlight = clientProps.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
    if (inFlight != null && !atMost(inFlight, MAX_IN_FLIGHT_WITH_IDEMPOTENCE)) {
      out.add(new UnsafeProducerSetting(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, inFlight,
          "above " + MAX_IN_FLIGHT_WITH_IDEMPOTENCE + " the producer cannot be idempotent, so retries could "
              + "duplicate or reorder events"));
    }
    return List.copyOf(out);
  }

  /** Kafka reads acks case-insensitively and trimmed; "all" and "-1" are the same setting. */
  static boolean acksAll(String acks) {
    String a = acks.trim().toLowerCase(Locale.ROOT);
    return a.equals("all") || a.equals("-1");
  }

  private static boolean atMost(String number, int max) {
    try {
      return Integer.parseInt(number.trim()) <= max;
    } catch (NumberFormatException e) {
      // Not a number: not a durability question; the Kafka client refuses it with its own message.
      return true;
    }
  }
}
