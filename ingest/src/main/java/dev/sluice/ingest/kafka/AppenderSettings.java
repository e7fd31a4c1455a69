package dev.sluice.ingest.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link EventAppender} is built from: the Kafka client properties, the policy that turns them into its
 * producer's settings, its time budget per append, the bound on appends waiting for Kafka, and its client id.
 */
public record AppenderSettings(
    Map<String, String> clientProps, Duration appendTimeout, ProducerSafety safety, Policy policy, String clientId) {

  /** How the client properties become producer settings. */
  public enum Policy {
    /**
     * The properties are the appender's own (the gateway's producer settings): taken as given, durable defaults where
     * they are silent, and refused if they would weaken what an acknowledgement means unless that is explicitly
     * allowed ({@link ProducerSafety#allowUnsafe()}).
     */
    CHECKED,
    /**
     * The properties are shared with other clients (connection and security): durability is forced whatever they
     * say, so there is nothing to refuse.
     */
    DURABLE
  }

  public AppenderSettings {
    clientProps = Map.copyOf(Objects.requireNonNull(clientProps, "clientProps"));
    Objects.requireNonNull(appendTimeout, "appendTimeout");
    Objects.requireNonNull(safety, "safety");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(clientId, "clientId");
  }

  /** {@link Policy#CHECKED}, with the safety the owner configured. */
  public static AppenderSettings checked(
      Map<String, String> clientProps, Duration appendTimeout, ProducerSafety safety, String clientId) {
    return new AppenderSettings(clientProps, appendTimeout, safety, Policy.CHECKED, clientId);
  }

  /** {@link Policy#DURABLE}, with the default bound on appends in flight. */
  public static AppenderSettings durable(Map<String, String> clientProps, Duration appendTimeout, String clientId) {
    return new AppenderSettings(clientProps, appendTimeout, ProducerSafety.defaults(), Policy.DURABLE, clientId);
  }

  /**
   * The producer settings under the policy.
   *
   * @throws UnsafeProducerSettingsException when {@link Policy#CHECKED} finds unsafe settings that are not allowed
   * @throws IllegalArgumentException when the settings leave no room for a request within the append timeout
   */
  Map<String, Object> producerConfig() {
    return policy == Policy.CHECKED
        ? ProducerConfigs.checked(clientProps, appendTimeout, safety.allowUnsafe(), clientId)
        : ProducerConfigs.durable(clientProps, appendTimeout, clientId);
  }
}
