package dev.sluice.console.replay;

import dev.sluice.quarantine.replay.Replay;
import dev.sluice.quarantine.replay.Slice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.TreeSet;

/**
 * A replay as the API shows it: {@code {id, stream, topic, group, from, state, final, createdBy, createdAt, updatedAt,
 * partitions: [{partition, start, end, reached, passed}], types, keys, steering, watch}}, and {@code to} when the
 * replay has one; {@code end} is the offset captured when it started; empty {@code types} or {@code keys} mean any;
 * {@code final} says whether the state is one the replay ends in (so that a client need not know which are).
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
        .put("final", r.state().isFinal())
        .put("createdBy", r.stamps().createdBy())
        .put("createdAt", r.stamps().createdAt().toString())
        .put("updatedAt", r.stamps().updatedAt().toString())
        .put("partitions", partitions)
        .put("steering", steering(r))
        .put("watch", watch(r))
        .mergeIn(slice(r.target().slice())));
  }

  /** {@code to} when set, and the types and keys, sorted (empty: any). */
  private static JsonObject slice(Slice slice) {
    JsonObject out = new JsonObject()
        .put("types", new JsonArray(new ArrayList<>(new TreeSet<>(slice.types()))))
        .put("keys", new JsonArray(new ArrayList<>(new TreeSet<>(slice.keys()))));
    slice.to().ifPresent(to -> out.put("to", to.toString()));
    return out;
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

  /**
   * Where the replay reads from, as shown: {@code earliest}, an instant, or {@code offsets} for a rewind whose start
   * offsets were given.
   */
  static String from(Replay r) {
    return r.rewind().byOffsets() ? "offsets" : r.target().from().text();
  }

  /**
   * A rewind's own members, added to the replay's {@code json}: {@code rewind: true} and, per partition rewound so far,
   * {@code rewoundAt} (the offset its instance moved it to) and {@code unfinishedAt} (where the group's unfinished
   * work began then: a slice passes over only events below it), both null until then. A cold start has
   * {@code rewind: false}.
   */
  static JsonObject withRewind(Replay r, JsonObject json) {
    json.put("rewind", r.rewind().on());
    if (r.rewind().on()) {
      JsonArray partitions = json.getJsonArray("partitions");
      for (int i = 0; i < partitions.size(); i++) {
        JsonObject p = partitions.getJsonObject(i);
        p.put("rewoundAt", r.rewind().rewoundAt().get(p.getInteger("partition")));
        p.put("unfinishedAt", r.rewind().unfinishedAt().get(p.getInteger("partition")));
      }
    }
    return json;
  }
}
