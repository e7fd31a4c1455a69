package dev.sluice.quarantine.replay;

import dev.sluice.quarantine.guard.HaltRule;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A replay as an item of the replays table, and back. Offsets per partition are maps from the partition number (as
 * text: DynamoDB map keys are strings) to the offset, so one partition's progress is updated on its own
 * ({@code SET progress.#p = :offset}).
 */
final class ReplayCodec {
  static final String ID = "id";
  static final String STATE = "state";
  static final String VERSION = "version";
  static final String PROGRESS = "progress";
  static final String UPDATED_AT = "updatedAt";
  /** On a rewind only: {@code {byOffsets, rewoundAt: {partition: offset}, unfinishedAt: {partition: offset}}}. */
  static final String REWIND = "rewind";
  static final String BY_OFFSETS = "byOffsets";
  static final String REWOUND_AT = "rewoundAt";
  static final String UNFINISHED_AT = "unfinishedAt";

  private ReplayCodec() {}

  static Map<String, AttributeValue> toItem(Replay r) {
    Map<String, AttributeValue> m = new HashMap<>();
    m.put(ID, s(r.id()));
    m.put("stream", s(r.target().stream()));
    m.put("group", s(r.group()));
    m.put("from", s(r.target().from().text()));
    m.put("topic", s(r.plan().topic()));
    m.put("start", offsets(r.plan().start()));
    m.put("end", offsets(r.plan().end()));
    m.put(PROGRESS, offsets(r.progress()));
    m.put(STATE, s(r.state().name()));
    m.put(VERSION, n(r.version()));
    m.put("createdBy", s(r.stamps().createdBy()));
    m.put("createdAt", n(r.stamps().createdAt().toEpochMilli()));
    m.put(UPDATED_AT, n(r.stamps().updatedAt().toEpochMilli()));
    putSlice(m, r.target().slice());
    putSteering(m, r.steering());
    if (r.rewind().on()) {
      m.put(REWIND, AttributeValue.fromM(Map.of(BY_OFFSETS, AttributeValue.fromBool(r.rewind().byOffsets()),
          REWOUND_AT, offsets(r.rewind().rewoundAt()), UNFINISHED_AT, offsets(r.rewind().unfinishedAt()))));
    }
    return m;
  }

  static Replay fromItem(Map<String, AttributeValue> m) {
    ReplayFrom from = ReplayFrom.parse(m.get("from").s())
        .orElseThrow(() -> new IllegalStateException("replay " + m.get(ID).s() + " has an unreadable from"));
    return new Replay(m.get(ID).s(),
        new Replay.Target(m.get("stream").s(), m.get("group").s(), from, slice(m)),
        new OffsetPlan(m.get("topic").s(), offsets(m.get("start")), offsets(m.get("end"))),
        offsets(m.get(PROGRESS)),
        ReplayState.valueOf(m.get(STATE).s()),
        new Replay.Stamps(m.get("createdBy").s(), millis(m, "createdAt"), millis(m, UPDATED_AT)),
        Long.parseLong(m.get(VERSION).n()),
        steering(m),
        watch(m),
        rewind(m.get(REWIND)));
  }

  /** Whether {@code item} is a replay rather than a group's lock. */
  static boolean isReplay(Map<String, AttributeValue> item) {
    return item.containsKey(STATE);
  }

  /** On a group's lock item: the replay that holds it. */
  static final String REPLAY_ID = "replayId";

  /** The lock item of {@code group}: it exists while the group has an active replay, and names it. */
  static Map<String, AttributeValue> lockKey(String group) {
    return Map.of(ID, s("active#" + group));
  }

  static Map<String, AttributeValue> lockItem(Replay r) {
    Map<String, AttributeValue> m = new HashMap<>(lockKey(r.group()));
    m.put(REPLAY_ID, s(r.id()));
    m.put("group", s(r.group()));
    return m;
  }

  static Optional<String> lockHolder(Map<String, AttributeValue> lock) {
    return Optional.ofNullable(lock.get(REPLAY_ID)).map(AttributeValue::s);
  }

  static Map<String, AttributeValue> key(String id) {
    return Map.of(ID, s(id));
  }

  static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  private static AttributeValue offsets(Map<Integer, Long> byPartition) {
    Map<String, AttributeValue> m = new HashMap<>();
    byPartition.forEach((p, o) -> m.put(Integer.toString(p), n(o)));
    return AttributeValue.fromM(m);
  }

  private static Map<Integer, Long> offsets(AttributeValue v) {
    Map<Integer, Long> out = new HashMap<>();
    v.m().forEach((p, o) -> out.put(Integer.parseInt(p), Long.parseLong(o.n())));
    return out;
  }

  private static Instant millis(Map<String, AttributeValue> m, String name) {
    return Instant.ofEpochMilli(Long.parseLong(m.get(name).n()));
  }

  // A slice is kept as up to three attributes, each absent when it does not narrow: an item written before slices
  // existed reads back as Slice.ALL, and DynamoDB refuses empty string sets anyway.
  private static final String TO = "to";
  private static final String TYPES = "types";
  private static final String KEYS = "keys";

  private static void putSlice(Map<String, AttributeValue> m, Slice slice) {
    slice.to().ifPresent(to -> m.put(TO, s(to.toString())));
    if (!slice.types().isEmpty()) {
      m.put(TYPES, AttributeValue.fromSs(List.copyOf(slice.types())));
    }
    if (!slice.keys().isEmpty()) {
      m.put(KEYS, AttributeValue.fromSs(List.copyOf(slice.keys())));
    }
  }

  private static Slice slice(Map<String, AttributeValue> m) {
    return new Slice(Optional.ofNullable(m.get(TO)).map(to -> Instant.parse(to.s())), strings(m.get(TYPES)),
        strings(m.get(KEYS)));
  }

  private static Set<String> strings(AttributeValue v) {
    return v == null ? Set.of() : Set.copyOf(v.ss());
  }

  // ------------------------------------------------------------------------------------------- steering and watching
  // Each instance's tally and each partition's time reached are top-level attributes of their own
  // ("tally#<instance>", "timeReached#<partition>"): a write sets one without reading the others, and an item
  // written before they existed needs no map to be created first.

  static final String HALT_SHARE = "haltShare";
  static final String HALT_MIN_EVENTS = "haltMinEvents";
  static final String MAX_EVENTS_PER_SECOND = "maxEventsPerSecond";
  static final String BASELINE = "baseline";
  static final String HALT_REASON = "haltReason";
  static final String TALLY_PREFIX = "tally#";
  static final String TIME_REACHED_PREFIX = "timeReached#";

  private static void putSteering(Map<String, AttributeValue> m, Replay.Steering s) {
    m.put(HALT_SHARE, AttributeValue.fromN(BigDecimal.valueOf(s.halt().ratio()).toPlainString()));
    m.put(HALT_MIN_EVENTS, n(s.halt().minOutcomes()));
    s.maxEventsPerSecond().ifPresent(max -> m.put(MAX_EVENTS_PER_SECOND, n(max)));
  }

  /** An item written before replays were steered has the default steering. */
  private static Replay.Steering steering(Map<String, AttributeValue> m) {
    if (!m.containsKey(HALT_SHARE)) {
      return Replay.Steering.DEFAULT;
    }
    HaltRule halt = new HaltRule(Double.parseDouble(m.get(HALT_SHARE).n()), Long.parseLong(m.get(HALT_MIN_EVENTS).n()));
    return new Replay.Steering(halt, m.containsKey(MAX_EVENTS_PER_SECOND)
        ? OptionalInt.of(Integer.parseInt(m.get(MAX_EVENTS_PER_SECOND).n())) : OptionalInt.empty());
  }

  private static Replay.Watch watch(Map<String, AttributeValue> m) {
    Map<String, Replay.Tally> tallies = new HashMap<>();
    Map<Integer, Instant> timeReached = new HashMap<>();
    m.forEach((name, v) -> {
      if (name.startsWith(TALLY_PREFIX)) {
        tallies.put(name.substring(TALLY_PREFIX.length()), tally(v));
      } else if (name.startsWith(TIME_REACHED_PREFIX)) {
        timeReached.put(Integer.parseInt(name.substring(TIME_REACHED_PREFIX.length())),
            Instant.ofEpochMilli(Long.parseLong(v.n())));
      }
    });
    return new Replay.Watch(tallies, m.containsKey(BASELINE) ? tally(m.get(BASELINE)) : Replay.Tally.ZERO,
        timeReached, Optional.ofNullable(m.get(HALT_REASON)).map(AttributeValue::s));
  }

  static AttributeValue tally(Replay.Tally t) {
    return AttributeValue.fromM(Map.of("read", n(t.read()), "diverted", n(t.diverted())));
  }

  private static Replay.Tally tally(AttributeValue v) {
    return new Replay.Tally(Long.parseLong(v.m().get("read").n()), Long.parseLong(v.m().get("diverted").n()));
  }

  private static Rewind rewind(AttributeValue v) {
    if (v == null) {
      return Rewind.NONE;
    }
    // A rewind stored before unfinished work was recorded reads back with none: its slice passes nothing over.
    AttributeValue unfinished = v.m().get(UNFINISHED_AT);
    return new Rewind(true, v.m().get(BY_OFFSETS).bool(), offsets(v.m().get(REWOUND_AT)),
        unfinished == null ? Map.of() : offsets(unfinished));
  }
}
