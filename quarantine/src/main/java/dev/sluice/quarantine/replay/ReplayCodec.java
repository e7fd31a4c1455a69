package dev.sluice.quarantine.replay;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
  /** On a rewind only: {@code {byOffsets, rewoundAt: {partition: offset}}}. */
  static final String REWIND = "rewind";
  static final String BY_OFFSETS = "byOffsets";
  static final String REWOUND_AT = "rewoundAt";

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
    if (r.rewind().on()) {
      m.put(REWIND, AttributeValue.fromM(Map.of(BY_OFFSETS, AttributeValue.fromBool(r.rewind().byOffsets()),
          REWOUND_AT, offsets(r.rewind().rewoundAt()))));
    }
    return m;
  }

  static Replay fromItem(Map<String, AttributeValue> m) {
    ReplayFrom from = ReplayFrom.parse(m.get("from").s())
        .orElseThrow(() -> new IllegalStateException("replay " + m.get(ID).s() + " has an unreadable from"));
    return new Replay(m.get(ID).s(),
        new Replay.Target(m.get("stream").s(), m.get("group").s(), from),
        new OffsetPlan(m.get("topic").s(), offsets(m.get("start")), offsets(m.get("end"))),
        offsets(m.get(PROGRESS)),
        ReplayState.valueOf(m.get(STATE).s()),
        new Replay.Stamps(m.get("createdBy").s(), millis(m, "createdAt"), millis(m, UPDATED_AT)),
        Long.parseLong(m.get(VERSION).n()),
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

  private static Rewind rewind(AttributeValue v) {
    if (v == null) {
      return Rewind.NONE;
    }
    return new Rewind(true, v.m().get(BY_OFFSETS).bool(), offsets(v.m().get(REWOUND_AT)));
  }
}
