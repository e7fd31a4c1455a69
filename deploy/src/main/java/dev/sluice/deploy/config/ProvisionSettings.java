package dev.sluice.deploy.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code sluice init} (and the launcher at start-up) creates besides what other sections name: the settings of
 * the stream topics, the consumer groups whose SQS queues are made ahead of time, and the dead-letter policy of those
 * queues. Read from {@code sluice.topics.*}, {@code sluice.init.*} and {@code sluice.sqs.*}.
 *
 * @param minInsyncReplicas {@code min.insync.replicas} of every topic Sluice creates; with acks=all, the replicas that
 *     must have an event before the gateway answers 2xx. Default: 2 when the replication factor is 3 or more, else 1
 * @param topicRetention {@code retention.ms} of the stream topics whose definition does not declare a retention (a
 *     stream may say {@code "forever"} or a duration of its own); not of the compacted registry topic
 * @param tieredLocalRetention present when the cluster runs Kafka's tiered storage (KIP-405): stream topics get
 *     {@code remote.storage.enable=true} and keep this much on the brokers' disks ({@code local.retention.ms}), the
 *     rest in the remote store, so a stream kept forever stays affordable
 * @param groups the consumer groups whose redrive and retry queues are created (the demo's group when not set)
 * @param processedEventsTable the DynamoDB table of {@code ProcessedEvents.inDynamo}, the consumers' shared dedup marks
 * @param queueRetention how long SQS keeps a redrive or retry request (60 s .. 14 days)
 * @param maxReceiveCount receives of one request before SQS moves it to the queue's dead-letter queue
 */
public record ProvisionSettings(
    int minInsyncReplicas,
    Duration topicRetention,
    Optional<Duration> tieredLocalRetention,
    Set<String> groups,
    String processedEventsTable,
    Duration queueRetention,
    int maxReceiveCount) {

  /** SQS's bounds on MessageRetentionPeriod. */
  public static final Duration MIN_QUEUE_RETENTION = Duration.ofSeconds(60);
  public static final Duration MAX_QUEUE_RETENTION = Duration.ofDays(14);

  public ProvisionSettings {
    groups = Set.copyOf(new LinkedHashSet<>(groups));
    if (minInsyncReplicas < 1) {
      throw new IllegalArgumentException("sluice.topics.min.insync.replicas must be at least 1");
    }
    if (topicRetention.isZero() || topicRetention.isNegative()) {
      throw new IllegalArgumentException("sluice.topics.retention must be positive");
    }
    if (tieredLocalRetention.isPresent() && (tieredLocalRetention.get().isZero()
        || tieredLocalRetention.get().isNegative())) {
      throw new IllegalArgumentException("sluice.topics.local.retention must be positive");
    }
    if (queueRetention.compareTo(MIN_QUEUE_RETENTION) < 0 || queueRetention.compareTo(MAX_QUEUE_RETENTION) > 0) {
      throw new IllegalArgumentException("sluice.sqs.message.retention must be between 60s and 14 days (SQS limits)");
    }
    if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new IllegalArgumentException("sluice.sqs.max.receive.count must be between 1 and 1000 (SQS limits)");
    }
    if (processedEventsTable == null || processedEventsTable.length() < 3) {
      throw new IllegalArgumentException("sluice.init.processed.events.table needs at least 3 characters");
    }
  }

  /** A replication factor below {@code min.insync.replicas} would refuse every acks=all write. */
  static ProvisionSettings read(ConfigReader r, short replicationFactor, String demoGroup) {
    int defaultMinIsr = replicationFactor >= 3 ? 2 : 1;
    int minIsr = r.integer("sluice.topics.min.insync.replicas", defaultMinIsr, 1, Short.MAX_VALUE);
    if (minIsr > replicationFactor) {
      r.problem("sluice.topics.min.insync.replicas = " + minIsr + " exceeds sluice.topics.replication.factor = "
          + replicationFactor + ": every acks=all append would fail");
    }
    Duration retention = r.duration("sluice.topics.retention", Duration.ofDays(7));
    boolean tiered = r.bool("sluice.topics.tiered.storage", false);
    Duration localRetention = r.duration("sluice.topics.local.retention", Duration.ofDays(1));
    String groupList = r.string("sluice.init.groups", demoGroup == null ? "" : demoGroup);
    List<String> groups = Arrays.stream(groupList.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    String processed = r.string("sluice.init.processed.events.table", "sluice-processed-events");
    Duration queueRetention = r.duration("sluice.sqs.message.retention", MAX_QUEUE_RETENTION);
    int maxReceive = r.integer("sluice.sqs.max.receive.count", 10, 1, 1000);
    return r.build("sluice.init", () -> new ProvisionSettings(minIsr, retention,
        tiered ? Optional.of(localRetention) : Optional.empty(), new LinkedHashSet<>(groups),
        processed, queueRetention, maxReceive));
  }
}
