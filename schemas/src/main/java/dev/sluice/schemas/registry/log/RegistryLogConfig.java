package dev.sluice.schemas.registry.log;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the registry is persisted.
 *
 * @param topic the compacted topic holding the registry (one partition: its order decides races)
 * @param replicationFactor the replication factor wanted when the topic is created; the topic gets
 *     {@code min(replicationFactor, live brokers)} replicas (as Confluent Schema Registry does), so the default of 3
 *     also works on a one-broker dev cluster, and {@code min.insync.replicas = min(2, replicas)}
 * @param writeTimeout bound on one registry write: the broker's acknowledgement (acks=all) plus this process reading
 *     the record back
 * @param startTimeout bound on start-up: topic creation and reading the whole log
 */
public record RegistryLogConfig(String topic, int replicationFactor, Duration writeTimeout, Duration startTimeout) {
  public static final String DEFAULT_TOPIC = "_sluice_registry";
  public static final int DEFAULT_REPLICATION_FACTOR = 3;
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

  public RegistryLogConfig {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(writeTimeout, "writeTimeout");
    Objects.requireNonNull(startTimeout, "startTimeout");
    if (topic.isBlank()) {
      throw new IllegalArgumentException("the registry topic must not be blank");
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("the registry topic's replication factor must be at least 1");
    }
    if (writeTimeout.toMillis() < 1 || startTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("registry timeouts must be positive");
    }
  }

  public static RegistryLogConfig defaults() {
    return new RegistryLogConfig(DEFAULT_TOPIC, DEFAULT_REPLICATION_FACTOR, DEFAULT_WRITE_TIMEOUT, DEFAULT_START_TIMEOUT);
  }

  public RegistryLogConfig withTopic(String newTopic) {
    return new RegistryLogConfig(newTopic, replicationFactor, writeTimeout, startTimeout);
  }
}
