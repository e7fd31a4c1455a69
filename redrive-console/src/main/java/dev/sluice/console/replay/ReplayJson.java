package dev.sluice.console.replay;

import dev.sluice.quarantine.replay.Replay;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A replay as the API shows it: {@code {id, stream, topic, group, from, state, createdBy, createdAt, updatedAt,
 * partitions: [{partition, start, end, reached, passed}]}}; {@code end} is the offset captured when it started.
 */
final class ReplayJson {
  private ReplayJson() {}

  static JsonObject of(Replay r) {
    JsonArray partitions = new JsonArray();
    for (int p : r.plan().partitions()) {
      partitions.add(new JsonObject()
          .put("partition", p)
          .put("start", r.plan().startOf(p))
          .put("end", r.plan().endOf(p))
          .put("reached", r.reached(p))
          .put("passed", r.passed(p)));
    }
    return withRewind(r, new JsonObject()
        .put("id", r.id())
        .put("stream", r.target().stream())
        .put("topic", r.plan().topic())
        .put("group", r.group())
        .put("from", from(r))
        .put("state", r.state().name())
        .put("createdBy", r.stamps().createdBy())
        .put("createdAt", r.stamps().createdAt().toString())
        .put("updatedAt", r.stamps().updatedAt().toString())
        .put("partitions", partitions));
  }

  /**
   * Where the replay reads from, as shown: {@code earliest}, an instant, or {@code offsets} for a rewind whose start
   * offsets were given.
   */
  static String from(Replay r) {
    return r.rewind().byOffsets() ? "offsets" : r.target().from().text();
  }

  /**
   * A rewind's own members, added to the replay's {@code json}: {@code rewind: true} and, per partition rewound so far,
   * {@code rewoundAt} (the offset its instance moved it to). A cold start has {@code rewind: false}.
   */
  static JsonObject withRewind(Replay r, JsonObject json) {
    json.put("rewind", r.rewind().on());
    if (r.rewind().on()) {
      JsonArray partitions = json.getJsonArray("partitions");
      for (int i = 0; i < partitions.size(); i++) {
        JsonObject p = partitions.getJsonObject(i);
        p.put("rewoundAt", r.rewind().rewoundAt().get(p.getInteger("partition")));
      }
    }
    return json;
  }
}
