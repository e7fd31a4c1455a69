package dev.sluice.console.catalog;

import dev.sluice.console.http.GroupsHandler;
import dev.sluice.quarantine.groups.GroupView;
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
 *       versions of the stream's types they validated, when last seen, as {@code GET /api/v1/groups} shows them;
 *   <li>Kafka's own consumer groups with committed offsets on the topic; those that do not heartbeat are listed
 *       {@code "wrapped": false}.
 * </ul>
 *
 * <p>Each group Kafka knows gets its {@code lag} (end offsets minus committed offsets, summed over its partitions) and
 * {@code lagByPartition}; without Kafka's answer, {@code lag} is null. Pure.
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
    JsonArray wrapped = GroupsHandler.json(heartbeats, Optional.of(streamTypes), Optional.of(stream));
    for (Object o : wrapped) {
      JsonObject g = ((JsonObject) o).put("wrapped", true);
      out.put(g.getString("group"), lag(g, Optional.ofNullable(byGroup.remove(g.getString("group")))));
    }
    byGroup.values().forEach(r -> out.put(r.group(), lag(new JsonObject().put("group", r.group())
        .put("wrapped", false), Optional.of(r))));
    return new JsonArray(List.copyOf(out.values()));
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
