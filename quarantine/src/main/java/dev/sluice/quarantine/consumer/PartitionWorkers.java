package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.replay.Replay;
import dev.sluice.quarantine.store.QuarantineItem;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;

/**
 * The partition workers of one wrapped consumer, by partition, and what both Kafka front ends (the Vert.x
 * {@link QuarantiningConsumer} and the plain {@link QuarantiningPollLoop}) do with them: create one per assigned
 * partition before its records arrive, stop the revoked ones, route item changes, and work out which offsets may be
 * committed. Confined to the consumer's Vert.x context, like the workers.
 */
final class PartitionWorkers {
  private final ConsumerParts parts;
  private final PartitionWorker.Owner owner;
  private final ToDoubleFunction<TopicPartition> lag;
  private final Map<TopicPartition, PartitionWorker> workers = new HashMap<>();

  /** @param lag the Kafka client's own lag measure of a partition, for a worker that has not seen a record yet */
  PartitionWorkers(ConsumerParts parts, PartitionWorker.Owner owner, ToDoubleFunction<TopicPartition> lag) {
    this.parts = parts;
    this.owner = owner;
    this.lag = lag;
  }

  /** The client properties the wrapper insists on, over whatever the caller passed. */
  static Map<String, String> consumerProperties(WrapperConfig config, Map<String, String> kafkaProps) {
    Map<String, String> props = new HashMap<>(kafkaProps);
    props.put("group.id", config.group());
    // Offsets are committed by the wrapper, and only past handled or recorded records.
    props.put("enable.auto.commit", "false");
    props.putIfAbsent("auto.offset.reset", "earliest");
    props.put("max.poll.records", Integer.toString(config.maxPollRecords()));
    props.put("max.poll.interval.ms", Long.toString(config.maxPollInterval().toMillis()));
    props.remove("key.deserializer");
    props.remove("value.deserializer");
    return props;
  }

  /**
   * The lag of a partition as the Kafka client last measured it ({@code records-lag}), from the client's metrics
   * (a live view, safe to read from any thread, unlike the client itself); NaN when it has none yet.
   */
  static double recordsLag(Map<MetricName, ? extends Metric> clientMetrics, TopicPartition tp) {
    for (Map.Entry<MetricName, ? extends Metric> e : clientMetrics.entrySet()) {
      MetricName name = e.getKey();
      if (name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
          && String.valueOf(tp.partition()).equals(name.tags().get("partition"))
          && (tp.topic().equals(name.tags().get("topic"))
              || tp.topic().replace('.', '_').equals(name.tags().get("topic")))) {
        Object v = e.getValue().metricValue();
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
      }
    }
    return Double.NaN;
  }

  /** The partition's worker, created and started (it loads the partition's open items first) if there is none. */
  PartitionWorker workerFor(TopicPartition tp) {
    PartitionWorker existing = workers.get(tp);
    if (existing != null) {
      return existing;
    }
    PartitionWorker worker = new PartitionWorker(parts, owner, tp.topic(), tp.partition(),
        () -> lag.applyAsDouble(tp));
    workers.put(tp, worker);
    worker.start();
    return worker;
  }

  PartitionWorker get(TopicPartition tp) {
    return workers.get(tp);
  }

  Set<TopicPartition> partitions() {
    return Set.copyOf(workers.keySet());
  }

  boolean isEmpty() {
    return workers.isEmpty();
  }

  /** Removes and stops the workers of these partitions; returns them (their committable offsets stay readable). */
  List<PartitionWorker> stop(Collection<TopicPartition> partitions) {
    List<PartitionWorker> stopped = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      PartitionWorker worker = workers.remove(tp);
      if (worker != null) {
        worker.stop();
        stopped.add(worker);
      }
    }
    return stopped;
  }

  /** Stops every worker; each Future completes when its record in hand is done (its outcome is not committed). */
  List<Future<Void>> stopAll() {
    List<Future<Void>> inHand = new ArrayList<>();
    for (PartitionWorker w : workers.values()) {
      inHand.add(w.stop());
    }
    return inHand;
  }

  /** Samples every worker's replay meters ({@code now}: nanoTime). */
  void sampleReplay(long now) {
    workers.values().forEach(w -> w.sampleReplay(now));
  }

  /** The group's replay started or stopped holding history back: every worker takes up what it may now. */
  void wakeAll() {
    List.copyOf(workers.values()).forEach(PartitionWorker::wake);
  }

  /** An item changed in this process (a retry or redrive settled it): tell the owner of its partition, if here. */
  void itemChanged(QuarantineItem item) {
    PartitionWorker worker = workers.get(new TopicPartition(item.topic(), item.partition()));
    if (worker != null) {
      worker.itemChanged(item);
    }
  }

  /** The offsets to commit: each partition whose committable offset moved past its last commit. */
  Map<TopicPartition, Long> toCommit() {
    return toCommit(workers.values());
  }

  static Map<TopicPartition, Long> toCommit(Collection<PartitionWorker> of) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (PartitionWorker w : of) {
      if (w.committable() > w.committed()) {
        offsets.put(new TopicPartition(w.topic(), w.partition()), w.committable());
      }
    }
    return offsets;
  }

  /** The group's replay was read: each partition rewinds, or joins a rewind's pass, if the replay says so. */
  void replayRead(Optional<Replay> replay) {
    List.copyOf(workers.values()).forEach(w -> w.replayRead(replay));
  }

  /** These offsets were committed (for partitions still here). */
  void committed(Map<TopicPartition, Long> offsets) {
    offsets.forEach((tp, offset) -> {
      PartitionWorker w = workers.get(tp);
      if (w != null) {
        w.committed(offset);
      }
    });
  }

  /** The partitions' end offsets as the broker just told them, for the lag gauges. */
  void endOffsets(Map<TopicPartition, Long> ends) {
    ends.forEach((tp, end) -> {
      PartitionWorker w = workers.get(tp);
      if (w != null && end != null) {
        w.endOffset(end);
      }
    });
  }
}
