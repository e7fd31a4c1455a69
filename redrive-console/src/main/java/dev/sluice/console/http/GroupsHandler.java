package dev.sluice.console.http;

import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.Problems;
import dev.sluice.quarantine.groups.GroupInstance;
import dev.sluice.quarantine.groups.GroupRegistry;
import dev.sluice.quarantine.groups.GroupView;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.contracts.ReadContract;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * {@code GET /api/v1/groups[?stream=]}: who consumes what, on which schema versions and how stale, from the consumer
 * groups' heartbeats. With {@code stream}, only the groups reading it, only the versions of the stream's own types, and
 * only its staleness. {@code staleness}: per stream, seconds, the worst of the group's (or instance's) partitions.
 *
 * <p>What each group declares it reads: {@code owner} and {@code contact} (null when unstated) and {@code reads}, per
 * type the JSON pointers it relies on (the union over its live instances; each instance's own under its
 * {@code reads}); with {@code stream}, only the stream's types. Pointers name fields, never values: any signed-in role
 * sees them.
 */
public final class GroupsHandler {
  private final GroupRegistry groups;
  private final SchemaRegistry registry;

  public GroupsHandler(GroupRegistry groups, SchemaRegistry registry) {
    this.groups = Objects.requireNonNull(groups, "groups");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  public void list(RoutingContext ctx) {
    String stream = ctx.request().getParam("stream");
    Optional<Set<String>> types = stream == null ? Optional.empty()
        : Optional.of(registry.catalog().stream(stream).map(StreamDefinition::types).map(Map::keySet).orElse(Set.of()));
    (stream == null ? groups.list() : groups.consumersOf(stream))
        .onSuccess(views -> ctx.json(new JsonObject().put("groups", json(views, types, Optional.ofNullable(stream)))))
        .onFailure(err -> Problems.send(ctx, new ConsoleError.Unavailable(
            "the consumer-group registry did not answer: retry later")));
  }

  /**
   * The views as this API answers them; with {@code onlyTypes}, only those types' versions; with {@code onlyStream},
   * the staleness of that stream only. The stream catalog lists a stream's readers with the same members.
   */
  public static JsonArray json(List<GroupView> views, Optional<Set<String>> onlyTypes, Optional<String> onlyStream) {
    JsonArray out = new JsonArray();
    for (GroupView v : views) {
      JsonObject versions = new JsonObject();
      v.versionsSeen().forEach((type, set) -> {
        if (onlyTypes.isEmpty() || onlyTypes.get().contains(type)) {
          versions.put(type, new JsonArray(List.copyOf(set)));
        }
      });
      JsonArray instances = new JsonArray();
      for (GroupInstance i : v.instances()) {
        instances.add(new JsonObject().put("instanceId", i.instanceId()).put("host", i.host())
            .put("staleness", staleness(i.staleness(), onlyStream))
            .put("reads", reads(i.contract(), onlyTypes))
            .put("lastSeen", i.lastSeen().toString()));
      }
      out.add(new JsonObject()
          .put("group", v.group())
          .put("owner", stated(v.contract().owner()))
          .put("contact", stated(v.contract().contact()))
          .put("streams", new JsonArray(List.copyOf((SortedSet<String>) v.streams())))
          .put("versionsSeen", versions)
          .put("reads", reads(v.contract(), onlyTypes))
          .put("staleness", staleness(v.staleness(), onlyStream))
          .put("instances", instances)
          .put("lastSeen", v.lastSeen().toString()));
    }
    return out;
  }

  /** Type to the pointers declared, sorted; with {@code onlyTypes}, those types only. */
  private static JsonObject reads(ReadContract contract, Optional<Set<String>> onlyTypes) {
    JsonObject out = new JsonObject();
    contract.reads().forEach((type, pointers) -> {
      if (onlyTypes.isEmpty() || onlyTypes.get().contains(type)) {
        out.put(type, new JsonArray(List.copyOf(pointers)));
      }
    });
    return out;
  }

  private static String stated(String text) {
    return text.isEmpty() ? null : text;
  }

  /** Stream to seconds; a stream no instance reported (no partition owned) is absent. */
  private static JsonObject staleness(Map<String, Double> byStream, Optional<String> onlyStream) {
    JsonObject out = new JsonObject();
    byStream.forEach((stream, seconds) -> {
      if (onlyStream.isEmpty() || onlyStream.get().equals(stream)) {
        out.put(stream, seconds);
      }
    });
    return out;
  }
}
