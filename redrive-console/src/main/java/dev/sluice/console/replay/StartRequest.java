package dev.sluice.console.replay;

import dev.sluice.console.json.JsonBodies;
import dev.sluice.quarantine.guard.HaltRule;
import dev.sluice.quarantine.replay.Replay;
import dev.sluice.quarantine.replay.ReplayFrom;
import dev.sluice.quarantine.replay.Slice;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
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
 */
record StartRequest(String stream, String group, ReplayFrom from, Slice slice, Replay.Steering steering) {
  static final List<String> MEMBERS = List.of("stream", "group", "from", "to", "types", "keys", "haltShare",
      "haltMinEvents", "maxEventsPerSecond");
  static final long MAX_HALT_MIN_EVENTS = 1_000_000_000L;

  /** A start of a slice of history, steered by default. */
  StartRequest(String stream, String group, ReplayFrom from, Slice slice) {
    this(stream, group, from, slice, Replay.Steering.DEFAULT);
  }

  /** A start of the whole of history, steered by {@code steering}. */
  StartRequest(String stream, String group, ReplayFrom from, Replay.Steering steering) {
    this(stream, group, from, Slice.ALL, steering);
  }

  /** Kafka's own bound on a group id's length, and the characters that are safe in names, logs and URLs. */
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,249}");
  private static final int MAX_NAME_LENGTH = 249;
  private static final String INSTANT = "an ISO-8601 instant with its offset, e.g. 2025-03-01T00:00:00Z";

  /** A start of the whole of history from {@code from}: a cold start. */
  StartRequest(String stream, String group, ReplayFrom from) {
    this(stream, group, from, Slice.ALL);
  }

  static StartRequest parse(String text) {
    JsonObject body = JsonBodies.object(text, MEMBERS,
        "{\"stream\": \"retail\", \"group\": \"billing-v2\", \"from\": \"earliest\"}");
    String stream = JsonBodies.string(body, "stream", MAX_NAME_LENGTH);
    String group = JsonBodies.string(body, "group", MAX_NAME_LENGTH);
    if (!GROUP.matcher(group).matches()) {
      throw JsonBodies.field("group", "a consumer group id of letters, digits, '.', '_' and '-'");
    }
    ReplayFrom from = ReplayFrom.parse(JsonBodies.string(body, "from", 64))
        .orElseThrow(() -> JsonBodies.field("from", "'earliest' or " + INSTANT));
    return new StartRequest(stream, group, from, slice(body, from), steering(body));
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
}
