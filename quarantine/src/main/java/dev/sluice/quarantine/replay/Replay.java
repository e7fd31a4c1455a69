package dev.sluice.quarantine.replay;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A replay of a stream's history to a consumer group, as the replays table keeps it: what is replayed to whom, where
 * it reads ({@link OffsetPlan}: the start offsets and the end offsets captured at the start), how far the group has
 * got, and its state.
 *
 * @param id 16 hex digits
 * @param progress per partition, the group's committed offset as last recorded: the offset reached (it starts at the
 *     start offset)
 * @param version bumped by every state change; a state change is a write conditional on it
 */
public record Replay(String id, Target target, OffsetPlan plan, Map<Integer, Long> progress, ReplayState state,
    Stamps stamps, long version) {

  /**
   * What is replayed to whom: the stream's events from {@code from} to the consumer group {@code group}, those in
   * {@code slice} handed to its handler.
   */
  public record Target(String stream, String group, ReplayFrom from, Slice slice) {
    public Target {
      // Every component is required: List.of refuses a null one, at once.
      List.of(stream, group, from, slice);
    }

    /** The whole of history from {@code from}: a cold start. */
    public Target(String stream, String group, ReplayFrom from) {
      this(stream, group, from, Slice.ALL);
    }
  }

  /** Who started the replay, when, and when it last changed. */
  public record Stamps(String createdBy, Instant createdAt, Instant updatedAt) {
    public Stamps {
      List.of(createdBy, createdAt, updatedAt);
    }
  }

  public Replay {
    List.of(id, target, plan, state, stamps);
    progress = Map.copyOf(progress);
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

  /** Whether the group has committed past everything {@code partition} held when the replay started. */
  public boolean passed(int partition) {
    return reached(partition) >= plan.endOf(partition);
  }

  /** Whether the group has passed every captured end: the replay is done, and the group simply live. */
  public boolean allPassed() {
    return plan.partitions().stream().allMatch(this::passed);
  }

  /**
   * Whether the event at {@code offset} is history outside the replay's slice ({@link Slice#holds}): it is not handed
   * to the handler, and counts as done at once, in its place, so the group's offset moves past it in order. An event
   * the replay does not flag (live, or the replay is over) is never skipped.
   */
  public boolean skips(String topic, int partition, long offset, Instant time, Optional<String> key,
      Optional<String> type) {
    return flags(topic, partition, offset) && !target.slice().holds(time, key, type);
  }

  /**
   * Whether the event at {@code offset} is skipped whatever its type ({@link Slice#holdsTimeAndKey}): a slice by time
   * or key passes over such a record before it is decoded.
   */
  public boolean skipsAnyType(String topic, int partition, long offset, Instant time, Optional<String> key) {
    return flags(topic, partition, offset) && !target.slice().holdsTimeAndKey(time, key);
  }
}
