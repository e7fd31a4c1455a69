package dev.sluice.quarantine.replay;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A replay of a stream's history to a consumer group, as the replays table keeps it: what is replayed to whom, where
 * it reads ({@link OffsetPlan}: the start offsets and the end offsets captured at the start), how far the group has
 * got, and its state.
 *
 * @param id 16 hex digits
 * @param progress per partition, the group's committed offset as last recorded: the offset reached (it starts at the
 *     start offset)
 * @param version bumped by every state change; a state change is a write conditional on it
 * @param rewind whether it rewinds a running group, and which partitions are rewound ({@link Rewind#NONE} for a cold
 *     start)
 */
public record Replay(String id, Target target, OffsetPlan plan, Map<Integer, Long> progress, ReplayState state,
    Stamps stamps, long version, Rewind rewind) {

  /** What is replayed to whom: the stream's events from {@code from} to the consumer group {@code group}. */
  public record Target(String stream, String group, ReplayFrom from) {
    public Target {
      // Every component is required: List.of refuses a null one, at once.
      List.of(stream, group, from);
    }
  }

  /** Who started the replay, when, and when it last changed. */
  public record Stamps(String createdBy, Instant createdAt, Instant updatedAt) {
    public Stamps {
      List.of(createdBy, createdAt, updatedAt);
    }
  }

  public Replay {
    List.of(id, target, plan, state, stamps, rewind);
    progress = Map.copyOf(progress);
  }

  /** A cold start (not a rewind). */
  public Replay(String id, Target target, OffsetPlan plan, Map<Integer, Long> progress, ReplayState state,
      Stamps stamps, long version) {
    this(id, target, plan, progress, state, stamps, version, Rewind.NONE);
  }

  /**
   * A replay that starts {@code now}: RUNNING, every partition at its start offset. Its times are kept to the
   * millisecond, as the table keeps them, so that the replay started is the replay read back.
   */
  public static Replay started(String id, Target target, OffsetPlan plan, String createdBy, Instant now) {
    Instant at = now.truncatedTo(ChronoUnit.MILLIS);
    return new Replay(id, target, plan, plan.start(), ReplayState.RUNNING, new Stamps(createdBy, at, at), 0);
  }

  public String group() {
    return target.group();
  }

  /**
   * The replay flag of an event the group handles: whether the event is being replayed, that is, the replay runs and
   * the event was in the log when the replay started (its offset is below its partition's captured end). Whether it
   * comes from Kafka, a delayed retry, a redrive or a release, the same rule decides, when it is delivered.
   */
  public boolean flags(String topic, int partition, long offset) {
    return state == ReplayState.RUNNING && plan.before(topic, partition, offset);
  }

  /** The group's committed offset of {@code partition}, as last recorded. */
  public long reached(int partition) {
    return progress.getOrDefault(partition, plan.startOf(partition));
  }

  /**
   * Whether the group has committed past everything {@code partition} held when the replay started; for a rewind,
   * after the partition was rewound (before that, the group's committed offset is where the first pass left it).
   */
  public boolean passed(int partition) {
    return !rewindDue(partition) && reached(partition) >= plan.endOf(partition);
  }

  /** Whether the group has passed every captured end: the replay is done, and the group simply live. */
  public boolean allPassed() {
    return plan.partitions().stream().allMatch(this::passed);
  }

  /**
   * A rewind of a running group that starts {@code now}: RUNNING, no partition rewound yet. Its instances rewind their
   * partitions when they read it; {@code byOffsets} when the operator gave the start offsets rather than a time.
   */
  public static Replay rewindStarted(String id, Target target, OffsetPlan plan, boolean byOffsets, String createdBy,
      Instant now) {
    Replay r = started(id, target, plan, createdBy, now);
    return new Replay(r.id, r.target, r.plan, r.progress, r.state, r.stamps, r.version, Rewind.requested(byOffsets));
  }

  /**
   * Whether an instance that owns {@code partition} must still rewind it: the replay is a running rewind, the
   * partition has events to replay, and nobody has rewound it yet.
   */
  public boolean rewindDue(int partition) {
    return rewind.on() && state == ReplayState.RUNNING && plan.end().containsKey(partition)
        && plan.startOf(partition) < plan.endOf(partition) && !rewind.rewound(partition);
  }
}
