package dev.sluice.console.replay;

import dev.sluice.console.json.JsonBodies;
import dev.sluice.quarantine.replay.ReplayFrom;
import dev.sluice.quarantine.replay.Slice;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/replays}: {@code {"stream": "retail", "group": "billing-v2", "from": "earliest"}},
 * {@code from} being {@code earliest} or an ISO-8601 instant with its offset, and optionally a slice: {@code "to"} (an
 * instant after {@code from}), {@code "types"} and {@code "keys"} (1 to {@value Slice#MAX_VALUES} strings each). A bad
 * member is a 400 at its pointer.
 */
record StartRequest(String stream, String group, ReplayFrom from, Slice slice) {
  static final List<String> MEMBERS = List.of("stream", "group", "from", "to", "types", "keys");
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
    return new StartRequest(stream, group, from, slice(body, from));
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
}
