package dev.sluice.console.replay;

import dev.sluice.console.json.JsonBodies;
import dev.sluice.quarantine.guard.HaltRule;
import dev.sluice.quarantine.replay.Replay;
import dev.sluice.quarantine.replay.ReplayFrom;
import dev.sluice.quarantine.replay.Slice;
import io.vertx.core.json.JsonObject;
import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleFailure;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/replays}: {@code {"stream": "retail", "group": "billing-v2", "from": "earliest"}},
 * {@code from} being {@code earliest} or an ISO-8601 instant with its offset; optionally a slice: {@code "to"} (an
 * instant after {@code from}), {@code "types"} and {@code "keys"} (1 to {@value Slice#MAX_VALUES} strings each); and
 * optionally how it is steered: {@code "haltShare"} (in (0, 1], default 0.5) and {@code "haltMinEvents"} (1 to 10^9,
 * default 1000), when it halts itself, and {@code "maxEventsPerSecond"} (1 to 1,000,000), its rate cap. A bad member
 * is a 400 at its pointer.
 *
 * <p>A rewind of a running group says {@code "rewind": true}, and gives either {@code from}, as a cold start does, or
 * its start offsets per partition instead: {@code "offsets": {"0": 12, "1": 40}} (only the partitions named are
 * rewound). {@code from} is then {@code earliest}, unused. A rewind takes a slice as a cold start does: the group's
 * instances pass over only events outside it that the group had handled before the rewind, never its unfinished work.
 *
 * @param offsets the start offsets of a rewind by offsets, by partition; empty otherwise
 */
record StartRequest(String stream, String group, ReplayFrom from, boolean rewind, Map<Integer, Long> offsets,
    Slice slice, Replay.Steering steering) {
  static final List<String> MEMBERS = List.of("stream", "group", "from", "rewind", "offsets", "to", "types", "keys",
      "haltShare", "haltMinEvents", "maxEventsPerSecond");
  static final long MAX_HALT_MIN_EVENTS = 1_000_000_000L;

  /** A cold start of a slice of history, steered by default. */
  StartRequest(String stream, String group, ReplayFrom from, Slice slice) {
    this(stream, group, from, false, Map.of(), slice, Replay.Steering.DEFAULT);
  }

  /** A cold start of the whole of history, steered by {@code steering}. */
  StartRequest(String stream, String group, ReplayFrom from, Replay.Steering steering) {
    this(stream, group, from, false, Map.of(), Slice.ALL, steering);
  }

  /** A cold start ({@code rewind} false) or a rewind of all of history, steered by default. */
  StartRequest(String stream, String group, ReplayFrom from, boolean rewind, Map<Integer, Long> offsets) {
    this(stream, group, from, rewind, offsets, Slice.ALL, Replay.Steering.DEFAULT);
  }

  /** Kafka's own bound on a group id's length, and the characters that are safe in names, logs and URLs. */
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,249}");
  private static final Pattern PARTITION = Pattern.compile("0|[1-9][0-9]{0,8}");
  private static final int MAX_NAME_LENGTH = 249;
  private static final String INSTANT = "an ISO-8601 instant with its offset, e.g. 2025-03-01T00:00:00Z";
  /** More partitions than any topic has: a bound on the body's work. */
  private static final int MAX_OFFSETS = 10_000;

  StartRequest {
    offsets = Map.copyOf(offsets);
    List.of(stream, group, from, slice, steering);
  }

  /** A cold start of the whole of history. */
  StartRequest(String stream, String group, ReplayFrom from) {
    this(stream, group, from, false, Map.of());
  }

  static StartRequest parse(String text) {
    JsonObject body = JsonBodies.object(text, MEMBERS,
        "{\"stream\": \"retail\", \"group\": \"billing-v2\", \"from\": \"earliest\"}");
    String stream = JsonBodies.string(body, "stream", MAX_NAME_LENGTH);
    String group = JsonBodies.string(body, "group", MAX_NAME_LENGTH);
    if (!GROUP.matcher(group).matches()) {
      throw JsonBodies.field("group", "a consumer group id of letters, digits, '.', '_' and '-'");
    }
    Object rewindValue = body.getValue("rewind", false);
    if (!(rewindValue instanceof Boolean rewind)) {
      throw JsonBodies.field("rewind", "true (a rewind of a running group) or false (a cold start)");
    }
    Replay.Steering steering = steering(body);
    if (body.containsKey("offsets")) {
      if (!rewind) {
        throw JsonBodies.field("offsets", "start offsets are for a rewind of a running group (\"rewind\": true); a "
            + "cold start reads from 'from'");
      }
      if (body.containsKey("from")) {
        throw JsonBodies.field("offsets", "a rewind starts from 'from' or from 'offsets', not both");
      }
      return new StartRequest(stream, group, ReplayFrom.earliest(), true, offsets(body.getValue("offsets")),
          slice(body, ReplayFrom.earliest()), steering);
    }
    ReplayFrom from = ReplayFrom.parse(JsonBodies.string(body, "from", 64))
        .orElseThrow(() -> JsonBodies.field("from", "'earliest' or " + INSTANT));
    return new StartRequest(stream, group, from, rewind, Map.of(), slice(body, from), steering);
  }

  private static Slice slice(JsonObject body, ReplayFrom from) {
    Optional<Instant> to = Optional.empty();
    if (body.containsKey("to")) {
      to = ReplayFrom.parse(JsonBodies.string(body, "to", 64)).flatMap(ReplayFrom::instant);
      if (to.isEmpty()) {
        throw JsonBodies.field("to", INSTANT);
      }
      Instant end = to.get();
      if (from.instant().filter(start -> !start.isBefore(end)).isPresent()) {
        throw JsonBodies.field("to", "must be after from (" + from.text() + ")");
      }
    }
    return new Slice(to, values(body, "types"), values(body, "keys"));
  }

  private static Set<String> values(JsonObject body, String name) {
    return JsonBodies.strings(body, name, Slice.MAX_VALUES, Slice.MAX_VALUE_LENGTH).map(Set::copyOf)
        .orElse(Set.of());
  }

  private static Replay.Steering steering(JsonObject body) {
    double share = number(body, "haltShare").orElse(Replay.Steering.DEFAULT_HALT_SHARE);
    if (!(share > 0 && share <= 1)) {
      throw JsonBodies.field("haltShare", "a share of the events read, greater than 0 and at most 1");
    }
    long min = whole(body, "haltMinEvents", 1, MAX_HALT_MIN_EVENTS).orElse(Replay.Steering.DEFAULT_HALT_MIN_EVENTS);
    OptionalInt max = whole(body, "maxEventsPerSecond", 1, Replay.Steering.MAX_EVENTS_PER_SECOND)
        .map(v -> OptionalInt.of(v.intValue())).orElseGet(OptionalInt::empty);
    return new Replay.Steering(new HaltRule(share, min), max);
  }

  private static Optional<Double> number(JsonObject body, String name) {
    Object v = body.getValue(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Number n)) {
      throw JsonBodies.field(name, "a number");
    }
    return Optional.of(n.doubleValue());
  }

  private static Optional<Long> whole(JsonObject body, String name, long min, long max) {
    Optional<Double> v = number(body, name);
    if (v.isPresent() && (v.get() != Math.rint(v.get()) || v.get() < min || v.get() > max)) {
      throw JsonBodies.field(name, "a whole number from " + min + " to " + max);
    }
    return v.map(Double::longValue);
  }

  /** {@code {"0": 12, "1": 40}}: partition numbers to offsets, each refused at its own pointer. */
  private static Map<Integer, Long> offsets(Object value) {
    if (!(value instanceof JsonObject given) || given.isEmpty() || given.size() > MAX_OFFSETS) {
      throw JsonBodies.field("offsets", "an object of partition numbers to start offsets, e.g. {\"0\": 12, \"1\": 40}");
    }
    Map<Integer, Long> out = new HashMap<>();
    for (String partition : given.fieldNames()) {
      if (!PARTITION.matcher(partition).matches()) {
        throw at(partition, "not a partition number");
      }
      Object offset = given.getValue(partition);
      if (!(offset instanceof Integer || offset instanceof Long) || ((Number) offset).longValue() < 0) {
        throw at(partition, "an offset: a whole number, 0 or more");
      }
      out.put(Integer.parseInt(partition), ((Number) offset).longValue());
    }
    return out;
  }

  /** A 400 at {@code /offsets/<partition>}, escaped as a JSON pointer. */
  static ConsoleFailure at(String partition, String reason) {
    return new ConsoleFailure(new ConsoleError.BadField(pointer(partition), reason));
  }

  /** The JSON pointer of a partition's start offset in the body. */
  static String pointer(String partition) {
    return "/offsets/" + partition.replace("~", "~0").replace("/", "~1");
  }
}
