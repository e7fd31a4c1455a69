package dev.sluice.quarantine.replay;

import java.util.HashMap;
import java.util.Map;

/**
 * What makes a replay a rewind of a running group, and how far its instances got with it. A cold start has none
 * ({@link #NONE}): the console commits its start offsets before the group runs. A rewind cannot do that (Kafka lets an
 * Admin client commit a group's offsets only while the group is empty), so each instance that owns a partition of the
 * plan seeks it back itself and records here, with a conditional write, that the partition is rewound: an instance
 * that takes the partition over after a rebalance finds it so and does not rewind it twice.
 *
 * @param on whether the replay is a rewind
 * @param byOffsets the operator gave the start offsets per partition, rather than {@code from}
 * @param rewoundAt per partition rewound so far, the offset its instance seeked it to (at most its start offset:
 *     never past an event that was neither handled nor durably recorded)
 * @param unfinishedAt per partition rewound so far, where the group's unfinished work began when it was rewound
 *     (at least {@code rewoundAt}): everything below it the group had handled or durably quarantined, nothing at or
 *     after it. Only events below it were handled before, so only those a slice may pass over.
 */
public record Rewind(boolean on, boolean byOffsets, Map<Integer, Long> rewoundAt, Map<Integer, Long> unfinishedAt) {
  /** Not a rewind: a cold start. */
  public static final Rewind NONE = new Rewind(false, false, Map.of(), Map.of());

  public Rewind {
    rewoundAt = Map.copyOf(rewoundAt);
    unfinishedAt = Map.copyOf(unfinishedAt);
  }

  /** A rewind not applied to any partition yet; {@code byOffsets} when the operator gave the offsets. */
  public static Rewind requested(boolean byOffsets) {
    return new Rewind(true, byOffsets, Map.of(), Map.of());
  }

  /**
   * This rewind with the partitions {@code known} rewound too: what one instance learned of its own writes is kept
   * when a read made before them answers later. Partitions are only ever added (each conditionally, once), so the
   * union is never wrong.
   */
  public Rewind with(Rewind known) {
    if (!on || known.rewoundAt.keySet().stream().allMatch(rewoundAt::containsKey)) {
      return this;
    }
    Map<Integer, Long> at = new HashMap<>(known.rewoundAt);
    at.putAll(rewoundAt);
    Map<Integer, Long> unfinished = new HashMap<>(known.unfinishedAt);
    unfinished.putAll(unfinishedAt);
    return new Rewind(on, byOffsets, at, unfinished);
  }

  public boolean rewound(int partition) {
    return rewoundAt.containsKey(partition);
  }

  /**
   * Whether the event at {@code offset} of {@code partition} is one the group had handled before the rewind and that
   * the rewind's pass reads again: at or after where the partition was rewound to, below where the group's unfinished
   * work began. Only such an event may be passed over as outside a slice; nothing on a partition not rewound yet is,
   * nor an event the group never handled. A partition recorded without its unfinished work has none such.
   */
  public boolean readAgain(int partition, long offset) {
    Long at = rewoundAt.get(partition);
    return at != null && offset >= at && offset < unfinishedAt.getOrDefault(partition, at);
  }
}
