package dev.sluice.quarantine.replay;

import dev.sluice.quarantine.guard.HaltRule;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A replay of a stream's history to a consumer group, as the replays table keeps it: what is replayed to whom, where
 * it reads ({@link OffsetPlan}: the start offsets and the end offsets captured at the start), how far the group has
 * got, and its state.
 *
 * @param id 16 hex digits
 * @param progress per partition, the group's committed offset as last recorded: the offset reached (it starts at the
 *     start offset)
 * @param version bumped by every state change; a state change is a write conditional on it
 * @param steering how it is steered, fixed at its start: when it halts itself, and its rate cap
 * @param watch what its group's instances report of it: how much they read and diverted, the event time reached
 * @param rewind whether it rewinds a running group, and which partitions are rewound ({@link Rewind#NONE} for a cold
 *     start)
 */
public record Replay(String id, Target target, OffsetPlan plan, Map<Integer, Long> progress, ReplayState state,
    Stamps stamps, long version, Steering steering, Watch watch, Rewind rewind) {

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
    List.of(id, target, plan, state, stamps, steering, watch, rewind);
    progress = Map.copyOf(progress);
  }

  /** A cold start with the default steering, as nobody has reported on it yet. */
  public Replay(String id, Target target, OffsetPlan plan, Map<Integer, Long> progress, ReplayState state,
      Stamps stamps, long version) {
    this(id, target, plan, progress, state, stamps, version, Steering.DEFAULT, Watch.NONE, Rewind.NONE);
  }

  /** A cold start (not a rewind), steered and watched as given. */
  public Replay(String id, Target target, OffsetPlan plan, Map<Integer, Long> progress, ReplayState state,
      Stamps stamps, long version, Steering steering, Watch watch) {
    this(id, target, plan, progress, state, stamps, version, steering, watch, Rewind.NONE);
  }

  /** A replay with the default steering, as nobody has reported on it yet. */
  public Replay(String id, Target target, OffsetPlan plan, Map<Integer, Long> progress, ReplayState state,
      Stamps stamps, long version, Rewind rewind) {
    this(id, target, plan, progress, state, stamps, version, Steering.DEFAULT, Watch.NONE, rewind);
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
    // A rewind's partition not rewound yet is where the first pass left it: what it handles there is no replay.
    return !state.isFinal() && plan.before(topic, partition, offset) && !awaitsRewind(partition);
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
    return !awaitsRewind(partition) && reached(partition) >= plan.endOf(partition);
  }

  /** Whether the group has passed every captured end: the replay is done, and the group simply live. */
  public boolean allPassed() {
    return plan.partitions().stream().allMatch(this::passed);
  }

  /**
   * Whether the event at {@code offset} is history outside the replay's slice ({@link Slice#holds}): it is not handed
   * to the handler, and counts as done at once, in its place, so the group's offset moves past it in order. An event
   * the replay does not flag (live, or the replay is over) is never skipped; nor, in a rewind, an event the group had
   * not handled before it ({@link Rewind#readAgain}): a lagging group's unfinished work is handled as usual.
   */
  public boolean skips(String topic, int partition, long offset, Instant time, Optional<String> key,
      Optional<String> type) {
    return mayPassOver(topic, partition, offset) && !target.slice().holds(time, key, type);
  }

  /**
   * Whether the event at {@code offset} is skipped whatever its type ({@link Slice#holdsTimeAndKey}): a slice by time
   * or key passes over such a record before it is decoded.
   */
  public boolean skipsAnyType(String topic, int partition, long offset, Instant time, Optional<String> key) {
    return mayPassOver(topic, partition, offset) && !target.slice().holdsTimeAndKey(time, key);
  }

  /** Whether the event at {@code offset} is history the slice may pass over (for a rewind, one read again). */
  private boolean mayPassOver(String topic, int partition, long offset) {
    return flags(topic, partition, offset) && (!rewind.on() || rewind.readAgain(partition, offset));
  }

  // ------------------------------------------------------------------------------------------- steering and watching

  /**
   * Whether the group must hold back the event at {@code offset}: the replay is PAUSED or HALTED and the event is
   * history (below its partition's captured end). Events past the end are live and never held.
   */
  public boolean holds(String topic, int partition, long offset) {
    return state.holds() && plan.before(topic, partition, offset);
  }

  /**
   * This replay as read, with the partitions {@code known} rewound (an earlier copy of the same replay, {@link
   * Rewind#with}): a read that began before a rewound mark was written forgets none.
   */
  public Replay knowing(Replay known) {
    return known.id.equals(id) ? new Replay(id, target, plan, progress, state, stamps, version, steering, watch,
        rewind.with(known.rewind)) : this;
  }

  /** The same replay, steered by {@code s}. */
  public Replay steered(Steering s) {
    return new Replay(id, target, plan, progress, state, stamps, version, s, watch, rewind);
  }

  /**
   * Whether the replay must halt itself now: it runs, and of the history its group read since it last ran on (its
   * start or an operator's resume) more than the halt rule's share was diverted to the quarantine store.
   */
  public boolean mustHalt() {
    Tally since = watch.sinceResume();
    return state == ReplayState.RUNNING && steering.halt().shouldHalt(since.read() - since.diverted(),
        since.diverted());
  }

  /**
   * How a replay is steered, chosen at its start.
   *
   * @param halt when it halts itself: more than {@code halt.ratio()} of the history read diverted to the quarantine
   *     store (quarantined or parked), once at least {@code halt.minOutcomes()} events were read
   * @param maxEventsPerSecond the cap on replayed events handled per second by the whole group, if any
   */
  public record Steering(HaltRule halt, OptionalInt maxEventsPerSecond) {
    public static final double DEFAULT_HALT_SHARE = 0.5;
    public static final long DEFAULT_HALT_MIN_EVENTS = 1000;
    public static final int MAX_EVENTS_PER_SECOND = 1_000_000;
    public static final Steering DEFAULT = new Steering(new HaltRule(DEFAULT_HALT_SHARE, DEFAULT_HALT_MIN_EVENTS),
        OptionalInt.empty());

    public Steering {
      Objects.requireNonNull(halt, "halt");
      maxEventsPerSecond.ifPresent(max -> {
        if (max < 1 || max > MAX_EVENTS_PER_SECOND) {
          throw new IllegalArgumentException("maxEventsPerSecond must be in 1.." + MAX_EVENTS_PER_SECOND
              + ", was " + max);
        }
      });
    }
  }

  /** How many replayed events were read, and how many of them were diverted to the quarantine store. */
  public record Tally(long read, long diverted) {
    public static final Tally ZERO = new Tally(0, 0);

    public Tally plus(Tally t) {
      return new Tally(read + t.read, diverted + t.diverted);
    }

    public Tally minus(Tally t) {
      return new Tally(read - t.read, diverted - t.diverted);
    }
  }

  /**
   * What the group's instances report of the replay with their progress writes.
   *
   * @param tallies per instance (its own id), what it read of history and diverted, since it started
   * @param baseline the group's total when an operator last resumed it: the halt rule judges what came after
   * @param timeReached per partition, the record time of the last replayed event handled
   * @param haltReason why it halted, while it is HALTED
   */
  public record Watch(Map<String, Tally> tallies, Tally baseline, Map<Integer, Instant> timeReached,
      Optional<String> haltReason) {
    public static final Watch NONE = new Watch(Map.of(), Tally.ZERO, Map.of(), Optional.empty());

    public Watch {
      tallies = Map.copyOf(tallies);
      timeReached = Map.copyOf(timeReached);
      List.of(baseline, haltReason);
    }

    /** The group's total: every instance's tally added up. */
    public Tally total() {
      return tallies.values().stream().reduce(Tally.ZERO, Tally::plus);
    }

    public Tally sinceResume() {
      return total().minus(baseline);
    }
  }

  /**
   * A rewind of a running group that starts {@code now}: RUNNING, no partition rewound yet. Its instances rewind their
   * partitions when they read it; {@code byOffsets} when the operator gave the start offsets rather than a time.
   */
  public static Replay rewindStarted(String id, Target target, OffsetPlan plan, boolean byOffsets, String createdBy,
      Instant now) {
    Replay r = started(id, target, plan, createdBy, now);
    return new Replay(r.id, r.target, r.plan, r.progress, r.state, r.stamps, r.version, r.steering, r.watch,
        Rewind.requested(byOffsets));
  }

  /**
   * Whether an instance that owns {@code partition} must still rewind it: the replay is a running rewind, the
   * partition has events to replay, and nobody has rewound it yet.
   */
  public boolean rewindDue(int partition) {
    return state == ReplayState.RUNNING && awaitsRewind(partition);
  }

  /**
   * Whether {@code partition} is still to be rewound, whatever the state: until it is, the group's committed offset
   * there is where the first pass left it, so it says nothing of the rewind's progress (even while paused).
   */
  private boolean awaitsRewind(int partition) {
    return rewind.on() && plan.end().containsKey(partition) && plan.startOf(partition) < plan.endOf(partition)
        && !rewind.rewound(partition);
  }
}
