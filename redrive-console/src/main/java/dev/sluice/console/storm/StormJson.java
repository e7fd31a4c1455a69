package dev.sluice.console.storm;

import dev.sluice.quarantine.storm.Storm;
import io.vertx.core.json.JsonObject;

/**
 * A storm as the API shows it: {@code {id, group, stream, topic, partition, fingerprint: {id, type, reason, locus},
 * state, holds, since, trippedBy, trips, failures, records, firstHeldOffset, sampleItemId?, changedAt, changedBy,
 * version}}. {@code since} is when it last tripped; {@code failures} of the fingerprint among the {@code records} of
 * the window then; {@code holds} whether it keeps its partition paused now. Nothing of the events' data.
 */
final class StormJson {
  private StormJson() {}

  static JsonObject of(Storm s) {
    JsonObject json = new JsonObject()
        .put("id", s.id())
        .put("group", s.group())
        .put("stream", s.where().stream())
        .put("topic", s.where().topic())
        .put("partition", s.where().partition())
        .put("fingerprint", new JsonObject()
            .put("id", s.fingerprint().id())
            .put("type", s.fingerprint().type())
            .put("reason", s.fingerprint().reason().name())
            .put("locus", s.fingerprint().locus()))
        .put("state", s.state().name())
        .put("holds", s.state().holds())
        .put("since", s.trip().at().toString())
        .put("trippedBy", s.trip().by())
        .put("trips", s.status().trips())
        .put("failures", s.trip().failures())
        .put("records", s.trip().records())
        .put("firstHeldOffset", s.trip().firstHeldOffset())
        .put("changedAt", s.status().changedAt().toString())
        .put("changedBy", s.status().changedBy())
        .put("version", s.status().version());
    s.trip().sampleItemId().ifPresent(id -> json.put("sampleItemId", id));
    return json;
  }
}
