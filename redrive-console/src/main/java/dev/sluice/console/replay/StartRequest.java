package dev.sluice.console.replay;

import dev.sluice.console.json.JsonBodies;
import dev.sluice.quarantine.replay.ReplayFrom;
import io.vertx.core.json.JsonObject;
import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleFailure;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/replays}: {@code {"stream": "retail", "group": "billing-v2", "from": "earliest"}},
 * {@code from} being {@code earliest} or an ISO-8601 instant with its offset. A bad member is a 400 at its pointer.
 *
 * <p>A rewind of a running group says {@code "rewind": true}, and gives either {@code from}, as a cold start does, or
 * its start offsets per partition instead: {@code "offsets": {"0": 12, "1": 40}} (only the partitions named are
 * rewound). {@code from} is then {@code earliest}, unused.
 *
 * @param offsets the start offsets of a rewind by offsets, by partition; empty otherwise
 */
record StartRequest(String stream, String group, ReplayFrom from, boolean rewind, Map<Integer, Long> offsets) {
  static final List<String> MEMBERS = List.of("stream", "group", "from", "rewind", "offsets");
  /** Kafka's own bound on a group id's length, and the characters that are safe in names, logs and URLs. */
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,249}");
  private static final Pattern PARTITION = Pattern.compile("0|[1-9][0-9]{0,8}");
  private static final int MAX_NAME_LENGTH = 249;
  /** More partitions than any topic has: a bound on the body's work. */
  private static final int MAX_OFFSETS = 10_000;

  StartRequest {
    offsets = Map.copyOf(offsets);
  }

  /** A cold start. */
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
    if (body.containsKey("offsets")) {
      if (!rewind) {
        throw JsonBodies.field("offsets", "start offsets are for a rewind of a running group (\"rewind\": true); a "
            + "cold start reads from 'from'");
      }
      if (body.containsKey("from")) {
        throw JsonBodies.field("offsets", "a rewind starts from 'from' or from 'offsets', not both");
      }
      return new StartRequest(stream, group, ReplayFrom.earliest(), true, offsets(body.getValue("offsets")));
    }
    String fromText = JsonBodies.string(body, "from", 64);
    ReplayFrom from = ReplayFrom.parse(fromText).orElseThrow(() -> JsonBodies.field("from",
        "'earliest' or an ISO-8601 instant with its offset, e.g. 2025-03-01T00:00:00Z"));
    return new StartRequest(stream, group, from, rewind, Map.of());
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
