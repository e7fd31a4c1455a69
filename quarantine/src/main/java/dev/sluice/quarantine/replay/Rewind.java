package dev.sluice.quarantine.replay;

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
 */
public record Rewind(boolean on, boolean byOffsets, Map<Integer, Long> rewoundAt) {
  /** Not a rewind: a cold start. */
  public static final Rewind NONE = new Rewind(false, false, Map.of());

  public Rewind {
    rewoundAt = Map.copyOf(rewoundAt);
  }

  /** A rewind not applied to any partition yet; {@code byOffsets} when the operator gave the offsets. */
  public static Rewind requested(boolean byOffsets) {
    return new Rewind(true, byOffsets, Map.of());
  }

  public boolean rewound(int partition) {
    return rewoundAt.containsKey(partition);
  }
}
