package dev.sluice.schemas.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named stream: one Kafka topic, the event types it accepts, and how its consumers order work.
 *
 * @param partitionKeyExtension whether a producer may set the Kafka key itself with the CloudEvents
 *     {@code partitionkey} extension attribute; when false (the default) the key always comes from the type's JSON
 *     pointer into {@code data}
 * @param retention how long the topic keeps events ({@link Retention}); the deployment's default unless it says
 * @param about who owns it, whom to ask, what it carries, how fresh its readers should be ({@link StreamAbout})
 */
public record StreamDefinition(
    String name, String topic, int partitions, OrderingPolicy ordering, Map<String, EventTypeBinding> types,
    boolean partitionKeyExtension, Retention retention, StreamAbout about) {

  public StreamDefinition(String name, String topic, int partitions, OrderingPolicy ordering,
      Map<String, EventTypeBinding> types, boolean partitionKeyExtension, Retention retention) {
    this(name, topic, partitions, ordering, types, partitionKeyExtension, retention, StreamAbout.NONE);
  }

  public StreamDefinition(
      String name, String topic, int partitions, OrderingPolicy ordering, Map<String, EventTypeBinding> types) {
    this(name, topic, partitions, ordering, types, false);
  }

  public StreamDefinition(String name, String topic, int partitions, OrderingPolicy ordering,
      Map<String, EventTypeBinding> types, boolean partitionKeyExtension) {
    this(name, topic, partitions, ordering, types, partitionKeyExtension, Retention.DEPLOYMENT_DEFAULT);
  }

  /** This definition with another retention. */
  public StreamDefinition withRetention(Retention newRetention) {
    return new StreamDefinition(name, topic, partitions, ordering, types, partitionKeyExtension, newRetention, about);
  }

  public StreamDefinition {
    // Every component is required (a retention left to the deployment is DEPLOYMENT_DEFAULT): List.of refuses a null.
    List.of(name, topic, ordering, retention, about);
    if (partitions < 1) {
      throw new IllegalArgumentException("stream " + name + " needs at least one partition");
    }
    types = Map.copyOf(types);
  }

  public Optional<EventTypeBinding> type(String type) {
    return Optional.ofNullable(types.get(type));
  }
}
