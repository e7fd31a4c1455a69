package dev.sluice.console.catalog;

import dev.sluice.quarantine.groups.GroupView;
import dev.sluice.schemas.catalog.EventTypeBinding;
import dev.sluice.schemas.catalog.StreamAbout;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The stream catalog's JSON, from the registry as read: a stream's line in the list ({@link #summary}), and the
 * registry's part of its page ({@link #detail}): every type's versions, compatibility level and the changes between
 * consecutive versions ({@link VersionDiff}), and what the consumer groups declare they read of it
 * ({@link DeclaredReadsJson}). Pure: a registry snapshot and the groups in, JSON out; what Kafka adds is the
 * handler's.
 */
public final class CatalogJson {
  private CatalogJson() {}

  /**
   * A stream's line in the list.
   *
   * @param groupsReading how many consumer groups' heartbeats say they read it; empty when the heartbeats could not be
   *     read (then {@code groupsReading} is null)
   */
  public static JsonObject summary(StreamDefinition stream, RegistryState state, OptionalInt groupsReading) {
    JsonObject out = about(stream);
    JsonArray types = new JsonArray();
    new TreeMap<>(stream.types()).forEach((name, binding) -> types.add(new JsonObject().put("type", name)
        .put("latestVersion", state.latest(name).map(SchemaVersion::version).orElse(null))));
    out.put("types", types);
    out.put("groupsReading", groupsReading.isPresent() ? groupsReading.getAsInt() : null);
    return out;
  }

  /** A stream's page, as far as the registry knows it: the summary's parts and each type's versions and changes. */
  public static JsonObject detail(StreamDefinition stream, RegistryState state) {
    return detail(stream, state, Optional.empty());
  }

  /**
   * As {@link #detail(StreamDefinition, RegistryState)}, each type with what the live groups declare they read of it
   * ({@code declaredReads}); null when the groups could not be read ({@code groups} empty).
   */
  public static JsonObject detail(StreamDefinition stream, RegistryState state, Optional<List<GroupView>> groups) {
    JsonObject out = about(stream).put("partitionKeyExtension", stream.partitionKeyExtension());
    JsonArray types = new JsonArray();
    new TreeMap<>(stream.types()).forEach((name, binding) -> types.add(type(binding, state)
        .put("declaredReads", groups.map(g -> DeclaredReadsJson.of(name, g)).orElse(null))));
    return out.put("types", types);
  }

  /** One type: its partition key, compatibility level, versions oldest first, and what changed between each two. */
  static JsonObject type(EventTypeBinding binding, RegistryState state) {
    String name = binding.type();
    List<SchemaVersion> versions = state.versions(name);
    JsonArray vs = new JsonArray();
    for (SchemaVersion v : versions) {
      vs.add(new JsonObject().put("version", v.version()).put("fingerprint", v.fingerprint())
          .put("usable", v.usable()).put("schema", VersionDiff.parse(v.schemaJson())));
    }
    JsonArray changes = new JsonArray();
    for (int i = 1; i < versions.size(); i++) {
      changes.add(VersionDiff.between(versions.get(i - 1), versions.get(i)));
    }
    return new JsonObject()
        .put("type", name)
        .put("partitionKey", binding.partitionKeyPointer())
        .put("compatibility", state.compatibility(name).name())
        .put("compatibilitySet", state.hasCompatibilitySetting(name))
        .put("latestVersion", versions.isEmpty() ? null : versions.get(versions.size() - 1).version())
        .put("versions", vs)
        .put("changes", changes);
  }

  /**
   * The stream's mechanics and label. {@code retention} is {@code "forever"}, an ISO-8601 duration, or null when the
   * stream leaves it to the deployment's default; the label's parts are null when the stream does not say.
   */
  private static JsonObject about(StreamDefinition stream) {
    StreamAbout about = stream.about();
    return new JsonObject()
        .put("name", stream.name())
        .put("topic", stream.topic())
        .put("partitions", stream.partitions())
        .put("ordering", stream.ordering().name())
        .put("retention", stream.retention().json().orElse(null))
        .put("owner", about.owner().orElse(null))
        .put("contact", about.contact().orElse(null))
        .put("description", about.description().orElse(null))
        .put("stalenessObjective", about.stalenessObjective().map(Object::toString).orElse(null));
  }
}
