package dev.sluice.schemas.registry;

import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable snapshot of the registry: streams, every type's schema versions (compiled once, when their record is
 * applied), and compatibility settings. Readers take a snapshot and use it for a whole request; writers replace it.
 */
public final class RegistryState {
  private static final RegistryState EMPTY = new RegistryState(Map.of(), Map.of(), Map.of(), SchemaIds.empty());

  private final Map<String, StreamDefinition> streams;
  /** Versions per type, oldest first, numbered without gaps from 1. */
  private final Map<String, List<SchemaVersion>> versions;
  private final Map<String, Compatibility> compatibility;
  private final StreamCatalog catalog;
  /** Registry-wide schema ids, assigned as versions are applied (log order settles collisions). */
  private final SchemaIds ids;

  private RegistryState(
      Map<String, StreamDefinition> streams,
      Map<String, List<SchemaVersion>> versions,
      Map<String, Compatibility> compatibility,
      SchemaIds ids) {
    this.streams = Map.copyOf(streams);
    this.versions = Map.copyOf(versions);
    this.compatibility = Map.copyOf(compatibility);
    this.ids = ids;
    this.catalog = new StreamCatalog(new ArrayList<>(new java.util.TreeMap<>(streams).values()));
  }

  public static RegistryState empty() {
    return EMPTY;
  }

  /**
   * The state after {@code record}. Deterministic, so every replica applying the same log agrees:
   *
   * <ul>
   *   <li>a schema version that is already taken keeps its first schema; a later record for the same number with
   *       another schema is ignored (two writers raced; the one earlier in the log won);
   *   <li>a version that would leave a gap is ignored;
   *   <li>a schema that today's rules refuse keeps its number but is {@linkplain SchemaVersion#usable() unusable}:
   *       the API refuses such schemas, so it was registered under older, looser rules (or by a foreign writer), and
   *       dropping it would renumber every later version.
   * </ul>
   *
   * @return this state when the record changes nothing
   */
  public RegistryState apply(RegistryRecord record) {
    if (record instanceof RegistryRecord.SchemaRegistered r) {
      List<SchemaVersion> list = versions.getOrDefault(r.type(), List.of());
      if (r.version() != list.size() + 1) {
        return this;
      }
      SchemaVersion added = SchemaVersion.compile(r.type(), r.version(), r.schemaJson());
      List<SchemaVersion> next = new ArrayList<>(list);
      next.add(added);
      Map<String, List<SchemaVersion>> all = new HashMap<>(versions);
      all.put(r.type(), List.copyOf(next));
      return new RegistryState(streams, all, compatibility, ids.with(added));
    }
    if (record instanceof RegistryRecord.CompatibilitySet r) {
      if (r.compatibility() == compatibility.get(r.type())) {
        return this;
      }
      Map<String, Compatibility> all = new HashMap<>(compatibility);
      all.put(r.type(), r.compatibility());
      return new RegistryState(streams, versions, all, ids);
    }
    RegistryRecord.StreamPut r = (RegistryRecord.StreamPut) record;
    if (r.stream().equals(streams.get(r.stream().name()))) {
      return this;
    }
    Map<String, StreamDefinition> all = new LinkedHashMap<>(streams);
    all.put(r.stream().name(), r.stream());
    return new RegistryState(all, versions, compatibility, ids);
  }

  /** The current streams as a catalog. */
  public StreamCatalog catalog() {
    return catalog;
  }

  public Optional<StreamDefinition> stream(String name) {
    return Optional.ofNullable(streams.get(name));
  }

  /** Stream names, sorted. */
  public Set<String> streamNames() {
    return new TreeSet<>(streams.keySet());
  }

  /** Types with at least one version, sorted. */
  public Set<String> types() {
    return new TreeSet<>(versions.keySet());
  }

  /** A type's versions, oldest first; empty for an unknown type. */
  public List<SchemaVersion> versions(String type) {
    return versions.getOrDefault(type, List.of());
  }

  public Optional<SchemaVersion> latest(String type) {
    List<SchemaVersion> list = versions(type);
    return list.isEmpty() ? Optional.empty() : Optional.of(list.get(list.size() - 1));
  }

  public Optional<SchemaVersion> version(String type, int version) {
    List<SchemaVersion> list = versions(type);
    return version >= 1 && version <= list.size() ? Optional.of(list.get(version - 1)) : Optional.empty();
  }

  /** The version whose schema has this fingerprint, if the type has one. */
  public Optional<SchemaVersion> byFingerprint(String type, String fingerprint) {
    return versions(type).stream().filter(v -> v.fingerprint().equals(fingerprint)).findFirst();
  }

  /** The type's compatibility level: its own setting, else {@link Compatibility#DEFAULT}. */
  public Compatibility compatibility(String type) {
    return compatibility.getOrDefault(type, Compatibility.DEFAULT);
  }

  /** The registry-wide schema ids (one per distinct schema), for Confluent-compatible clients. */
  public SchemaIds ids() {
    return ids;
  }

  /** Whether the type has an explicit compatibility setting. */
  public boolean hasCompatibilitySetting(String type) {
    return compatibility.containsKey(type);
  }
}
