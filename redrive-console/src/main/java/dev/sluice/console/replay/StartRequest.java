package dev.sluice.console.replay;

import dev.sluice.console.json.JsonBodies;
import dev.sluice.quarantine.replay.ReplayFrom;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/replays}: {@code {"stream": "retail", "group": "billing-v2", "from": "earliest"}},
 * {@code from} being {@code earliest} or an ISO-8601 instant with its offset. A bad member is a 400 at its pointer.
 */
record StartRequest(String stream, String group, ReplayFrom from) {
  static final List<String> MEMBERS = List.of("stream", "group", "from");
  /** Kafka's own bound on a group id's length, and the characters that are safe in names, logs and URLs. */
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,249}");
  private static final int MAX_NAME_LENGTH = 249;

  static StartRequest parse(String text) {
    JsonObject body = JsonBodies.object(text, MEMBERS,
        "{\"stream\": \"retail\", \"group\": \"billing-v2\", \"from\": \"earliest\"}");
    String stream = JsonBodies.string(body, "stream", MAX_NAME_LENGTH);
    String group = JsonBodies.string(body, "group", MAX_NAME_LENGTH);
    if (!GROUP.matcher(group).matches()) {
      throw JsonBodies.field("group", "a consumer group id of letters, digits, '.', '_' and '-'");
    }
    String fromText = JsonBodies.string(body, "from", 64);
    ReplayFrom from = ReplayFrom.parse(fromText).orElseThrow(() -> JsonBodies.field("from",
        "'earliest' or an ISO-8601 instant with its offset, e.g. 2025-03-01T00:00:00Z"));
    return new StartRequest(stream, group, from);
  }
}
