package dev.sluice.console.catalog;

import dev.sluice.console.http.GroupsHandler;
import dev.sluice.quarantine.groups.GroupView;
import dev.sluice.quarantine.groups.QuarantineRate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The consumer groups reading a stream, from two sources merged by group id (a wrapped consumer heartbeats under its
 * Kafka group id):
 *
 * <ul>
 *   <li>the heartbeats of groups wrapped by Sluice's consumer ({@code "wrapped": true}): their instances, the schema
 *       versions of the stream's types they validated, when last seen, as {@code GET /api/v1/groups} shows them, and
 *       their {@code quarantine} rate on the stream;
 *   <li>Kafka's own consumer groups with committed offsets on the topic; those that do not heartbeat are listed
 *       {@code "wrapped": false}.
 * </ul>
 *
 * <p>Each group Kafka knows gets its {@code lag} (end offsets minus committed offsets, summed over its partitions) and
 * {@code lagByPartition}; without Kafka's answer, {@code lag} is null.
 *
 * <p>{@code quarantine}: the records the group diverted to the quarantine over its live instances' last heartbeat
 * windows: {@code perSecond}, {@code share} of the records it finished (handled plus quarantined; null when it finished
 * none), {@code windowSeconds}, and the counts {@code quarantined} and {@code handled}. Null when no live instance
 * reported it (before an instance's second heartbeat, or a build older than the report), and for a group that is not
 * wrapped. Pure.
 */
public final class ReadersJson {
  private ReadersJson() {}

  /**
   * @param stream the stream's name: a group's staleness is shown for it only
   * @param heartbeats the groups whose heartbeats say they read the stream
   * @param streamTypes the stream's types: only their versions are shown
   * @param kafka the topic's readers as Kafka counts them; empty when Kafka did not answer
   */
  public static JsonArray of(String stream, List<GroupView> heartbeats, Set<String> streamTypes,
      Optional<List<CatalogKafka.TopicReader>> kafka) {
    Map<String, CatalogKafka.TopicReader> byGroup = new HashMap<>();
    kafka.ifPresent(readers -> readers.forEach(r -> byGroup.put(r.group(), r)));
    TreeMap<String, JsonObject> out = new TreeMap<>();
    Map<String, GroupView> views = new HashMap<>();
    heartbeats.forEach(v -> views.put(v.group(), v));
    JsonArray wrapped = GroupsHandler.json(heartbeats, Optional.of(streamTypes), Optional.of(stream));
    for (Object o : wrapped) {
      JsonObject g = ((JsonObject) o).put("wrapped", true);
      g.put("quarantine", quarantine(views.get(g.getString("group")).quarantineRates().get(stream)));
      out.put(g.getString("group"), lag(g, Optional.ofNullable(byGroup.remove(g.getString("group")))));
    }
    byGroup.values().forEach(r -> out.put(r.group(), lag(new JsonObject().put("group", r.group())
        .put("wrapped", false).put("quarantine", null), Optional.of(r))));
    return new JsonArray(List.copyOf(out.values()));
  }

  /** The group's quarantine rate on the stream; null when not reported. */
  private static JsonObject quarantine(QuarantineRate rate) {
    if (rate == null) {
      return null;
    }
    return new JsonObject().put("perSecond", rate.perSecond())
        .put("share", rate.share().isPresent() ? rate.share().getAsDouble() : null)
        .put("windowSeconds", rate.windowSeconds())
        .put("quarantined", rate.quarantined())
        .put("handled", rate.handled());
  }

  private static JsonObject lag(JsonObject group, Optional<CatalogKafka.TopicReader> reader) {
    if (reader.isEmpty()) {
      // Kafka did not answer, or the group has committed nothing on the topic yet.
      return group.put("lag", null);
    }
    JsonObject byPartition = new JsonObject();
    reader.get().lag().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> byPartition.put(String.valueOf(e.getKey()), e.getValue()));
    return group.put("lag", reader.get().totalLag()).put("lagByPartition", byPartition);
  }
}
