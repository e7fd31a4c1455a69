package dev.sluice.ingest.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An appender's Kafka producer settings, from the client properties, under one of two policies (see
 * {@link AppenderSettings.Policy}). Either way every wait is bounded by the append timeout:
 *
 * <p>One append can wait twice: inside {@code send} for metadata or buffer space ({@code max.block.ms}), then for
 * the broker's acknowledgement ({@code delivery.timeout.ms}, which covers retries). The budget is split between the
 * two so that the whole append finishes, acknowledged or failed, within the append timeout.
 * {@code delivery.timeout.ms} must be at least {@code linger.ms + request.timeout.ms}, so the request timeout is
 * lowered to fit if needed.
 */
final class ProducerConfigs {
  private static final System.Logger LOG = System.getLogger(ProducerConfigs.class.getName());

  /** Assumed when the client properties do not set {@code linger.ms}: the Kafka 4.x default. */
  static final long DEFAULT_LINGER_MS = 5;
  /** Assumed when the client properties do not set {@code request.timeout.ms}: the Kafka default. */
  static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

  private ProducerConfigs() {}

  /**
   * The client properties checked for safety, durability defaults (idempotent, {@code acks=all}) where they are
   * silent. Unsafe settings ({@link UnsafeProducerSetting#find}) are refused with
   * {@link UnsafeProducerSettingsException} unless {@code allowUnsafe}; then each is logged as a WARNING and honoured
   * as given.
   */
  static Map<String, Object> checked(
      Map<String, String> clientProps, Duration appendTimeout, boolean allowUnsafe, String clientId) {
    Objects.requireNonNull(clientProps, "clientProps");
    List<UnsafeProducerSetting> unsafe = UnsafeProducerSetting.find(clientProps);
    if (!unsafe.isEmpty()) {
      if (!allowUnsafe) {
        throw new UnsafeProducerSettingsException(unsafe);
      }
      for (UnsafeProducerSetting s : unsafe) {
        LOG.log(System.Logger.Level.WARNING, "UNSAFE Kafka producer setting allowed explicitly: {0}", s.describe());
      }
    }
    Map<String, Object> config = new HashMap<>(clientProps);
    config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    // Default idempotence on only where Kafka accepts it: an explicitly allowed acks=1 or a larger in-flight window
    // cannot be combined with it, and Kafka then leaves it off by itself.
    if (unsafe.isEmpty()) {
      config.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    }
    return bounded(config, appendTimeout, clientId);
  }

  /**
   * Durability forced, whatever the (shared) client properties say: {@code acks=all}, idempotence, at most 5 requests
   * in flight, never transactional. No lingering: the appends are single records an operator waits for.
   */
  static Map<String, Object> durable(Map<String, String> clientProps, Duration appendTimeout, String clientId) {
    Objects.requireNonNull(clientProps, "clientProps");
    Map<String, Object> config = new HashMap<>(clientProps);
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // Idempotence keeps order and deduplicates retries only with at most 5 requests in flight.
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
        Integer.toString(UnsafeProducerSetting.MAX_IN_FLIGHT_WITH_IDEMPOTENCE));
    config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    return bounded(config, appendTimeout, clientId);
  }

  /** Every wait within {@code appendTimeout} (see the class comment), the serializers, the client id if unset. */
  private static Map<String, Object> bounded(Map<String, Object> config, Duration appendTimeout, String clientId) {
    long budget = Objects.requireNonNull(appendTimeout, "appendTimeout").toMillis();
    long maxBlock = budget / 2;
    long delivery = budget - maxBlock;
    long linger = longProp(config, ProducerConfig.LINGER_MS_CONFIG, DEFAULT_LINGER_MS);
    long requestTimeout =
        Math.min(longProp(config, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, DEFAULT_REQUEST_TIMEOUT_MS),
            delivery - linger);
    if (requestTimeout < 1) {
      throw new IllegalArgumentException("linger.ms=" + linger + " leaves no time for a request within the append "
          + "timeout of " + appendTimeout + "; lower linger.ms or raise the append timeout");
    }
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock));
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(delivery));
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(requestTimeout));
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return config;
  }

  private static long longProp(Map<String, Object> props, String key, long dflt) {
    Object raw = props.get(key);
    String v = raw == null ? null : raw.toString();
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Kafka client property " + key + " must be a number, was " + v, e);
    }
  }
}
