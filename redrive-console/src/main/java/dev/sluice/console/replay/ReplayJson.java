package dev.sluice.console.replay;

import dev.sluice.quarantine.replay.Replay;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A replay as the API shows it: {@code {id, stream, topic, group, from, state, createdBy, createdAt, updatedAt,
 * partitions: [{partition, start, end, reached, passed}], steering, watch}}; {@code end} is the offset captured when it
 * started.
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
    return new JsonObject()
        .put("id", r.id())
        .put("stream", r.target().stream())
        .put("topic", r.plan().topic())
        .put("group", r.group())
        .put("from", r.target().from().text())
        .put("state", r.state().name())
        .put("createdBy", r.stamps().createdBy())
        .put("createdAt", r.stamps().createdAt().toString())
        .put("updatedAt", r.stamps().updatedAt().toString())
        .put("partitions", partitions)
        .put("steering", steering(r))
        .put("watch", watch(r));
  }

  /** {@code {haltShare, haltMinEvents, maxEventsPerSecond?}}, as chosen at the start. */
  private static JsonObject steering(Replay r) {
    JsonObject s = new JsonObject()
        .put("haltShare", r.steering().halt().ratio())
        .put("haltMinEvents", r.steering().halt().minOutcomes());
    r.steering().maxEventsPerSecond().ifPresent(max -> s.put("maxEventsPerSecond", max));
    return s;
  }

  /**
   * {@code {read, diverted, readSinceResume, divertedSinceResume, haltReason?, timeReached: {partition: instant}}}:
   * the group's totals as its instances last reported them.
   */
  private static JsonObject watch(Replay r) {
    Replay.Tally total = r.watch().total();
    Replay.Tally since = r.watch().sinceResume();
    JsonObject times = new JsonObject();
    r.watch().timeReached().forEach((p, at) -> times.put(Integer.toString(p), at.toString()));
    JsonObject w = new JsonObject()
        .put("read", total.read())
        .put("diverted", total.diverted())
        .put("readSinceResume", since.read())
        .put("divertedSinceResume", since.diverted())
        .put("timeReached", times);
    r.watch().haltReason().ifPresent(reason -> w.put("haltReason", reason));
    return w;
  }
}
