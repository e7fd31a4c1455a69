package dev.sluice.quarantine.replay;

import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Where a replay reads, partition by partition: from its start offset up to the end offset captured when the replay
 * started (exclusive: the offset the next event was to get then). What lies at or past the end was written after the
 * start, and is live.
 */
public record OffsetPlan(String topic, Map<Integer, Long> start, Map<Integer, Long> end) {
  public OffsetPlan {
    Objects.requireNonNull(topic, "topic");
    start = Map.copyOf(start);
    end = Map.copyOf(end);
    if (!start.keySet().equals(end.keySet())) {
      throw new IllegalArgumentException("start and end offsets name other partitions: " + start.keySet() + " and "
          + end.keySet());
    }
  }

  public SortedSet<Integer> partitions() {
    return new TreeSet<>(end.keySet());
  }

  public long startOf(int partition) {
    return start.get(partition);
  }

  public long endOf(int partition) {
    return end.get(partition);
  }

  /** Whether the event at {@code offset} of {@code topic}'s {@code partition} was in the log when the plan was made. */
  public boolean before(String topic, int partition, long offset) {
    Long e = end.get(partition);
    return e != null && offset < e && this.topic.equals(topic);
  }
}
