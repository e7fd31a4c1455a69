package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.guard.TokenBucket;
import dev.sluice.quarantine.replay.Replay;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * This instance's part of its group's replay rate cap ({@code maxEventsPerSecond}): the cap divided across the
 * group's instances by the partitions they own, {@code max x (the replay's partitions this instance owns) / (all the
 * replay's partitions)}, so that the instances together stay within the cap without talking to each other. Only
 * replayed (flagged) events from Kafka take a token; live events never wait. The share follows the assignment: the
 * bucket is made again when the cap or the share changes (a rebalance), starting with its burst.
 *
 * <p>Confined to the consumer's Vert.x context.
 */
final class ReplayPace {
  /** A tenth of a second's worth of events may go at once (at least one). */
  private static final double BURST_SECONDS = 0.1;

  private final Supplier<Set<TopicPartition>> assigned;
  private double rate;
  private TokenBucket bucket;

  /** @param assigned the partitions this instance owns now */
  ReplayPace(Supplier<Set<TopicPartition>> assigned) {
    this.assigned = assigned;
  }

  /** Books a token for a replayed event of {@code replay}; the nanoseconds to wait before handling it (0: now). */
  long reserve(Replay replay) {
    if (replay.steering().maxEventsPerSecond().isEmpty()) {
      return 0;
    }
    String topic = replay.plan().topic();
    long mine = assigned.get().stream()
        .filter(tp -> tp.topic().equals(topic) && replay.plan().end().containsKey(tp.partition()))
        .count();
    int all = replay.plan().partitions().size();
    double share = replay.steering().maxEventsPerSecond().getAsInt() * (double) Math.max(1, mine) / Math.max(1, all);
    if (share != rate || bucket == null) {
      rate = share;
      bucket = new TokenBucket(share, (int) Math.max(1, share * BURST_SECONDS), System::nanoTime);
    }
    return bucket.reserve();
  }
}
