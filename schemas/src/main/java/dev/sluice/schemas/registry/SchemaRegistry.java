package dev.sluice.schemas.registry;

import dev.sluice.schemas.catalog.CatalogException;
import dev.sluice.schemas.catalog.EventTypeBinding;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.json.JSONPointer;
import org.json.JSONPointerException;

/**
 * The registry as its readers see it: the current {@link RegistryState} (streams, schema versions compiled once,
 * compatibility settings), swapped atomically when a change arrives.
 *
 * <p>Thread-safe. Readers never lock: {@link #state()} is a volatile read of an immutable snapshot, so a request
 * validates against one consistent state even while a new version is being applied. Changes come from one writer at a
 * time (the registry log's reader thread, or a bootstrap at start-up).
 */
public final class SchemaRegistry {
  private static final String SCHEMA_DIR = "sluice/schemas/";

  private volatile RegistryState state;

  public SchemaRegistry(RegistryState initial) {
    this.state = Objects.requireNonNull(initial, "initial");
  }

  /**
   * A registry holding the catalog's streams and, for each type, its bootstrap schema file as version 1. Fails fast
   * (at start-up) on any schema file that does not compile.
   */
  public static SchemaRegistry fromCatalog(StreamCatalog catalog) {
    return new SchemaRegistry(bootstrapState(catalog));
  }

  /** The records that describe the catalog: each stream, and each type's bootstrap schema as version 1. */
  public static List<RegistryRecord> bootstrapRecords(StreamCatalog catalog) {
    List<RegistryRecord> out = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (StreamDefinition stream : catalog.streams()) {
      for (EventTypeBinding binding : stream.types().values()) {
        if (binding.schemaResource().isEmpty() || !seen.add(binding.type())) {
          continue;
        }
        String json = StreamCatalog.readResource(SCHEMA_DIR + binding.schemaResource());
        if (SchemaCompiler.compile(json) instanceof SchemaCompiler.Refused refused) {
          throw new CatalogException("schema of " + binding.type() + " (" + binding.schemaResource()
              + ") cannot be registered: " + refused.problems());
        }
        out.add(new RegistryRecord.SchemaRegistered(binding.type(), 1, json));
      }
      out.add(new RegistryRecord.StreamPut(stream));
    }
    return out;
  }

  private static RegistryState bootstrapState(StreamCatalog catalog) {
    RegistryState s = RegistryState.empty();
    for (RegistryRecord r : bootstrapRecords(catalog)) {
      s = s.apply(r);
    }
    return s;
  }

  /** The current snapshot. */
  public RegistryState state() {
    return state;
  }

  /** Replaces the snapshot with {@code change(current)}. Called by the single writer only. */
  public synchronized void update(UnaryOperator<RegistryState> change) {
    state = Objects.requireNonNull(change.apply(state), "new state");
  }

  /** The current streams. */
  public StreamCatalog catalog() {
    return state.catalog();
  }

  public Set<String> types() {
    return state.types();
  }

  public boolean knows(String type) {
    return state.latest(type).isPresent();
  }

  /** Validates against the type's latest version. Violation pointers are rooted at the event ({@code /data/...}). */
  public Validation validate(String type, String dataJson) {
    Optional<SchemaVersion> latest = state.latest(type);
    return latest.isEmpty() ? new Validation.UnknownType(type) : latest.get().validate(dataJson);
  }

  /** Validates against one version; {@link Validation.UnknownType} when the type or the version does not exist. */
  public Validation validate(String type, int version, String dataJson) {
    Optional<SchemaVersion> v = state.version(type, version);
    return v.isEmpty() ? new Validation.UnknownType(type) : v.get().validate(dataJson);
  }

  /**
   * Reads the partition key out of validated data. Only strings and numbers make keys; anything else is absent.
   *
   * @param pointer a JSON pointer into {@code data}, e.g. {@code /id}
   */
  public static Optional<String> partitionKey(Object parsedData, String pointer) {
    try {
      Object v = new JSONPointer(pointer).queryFrom(parsedData);
      if (v instanceof String s && !s.isEmpty()) {
        return Optional.of(s);
      }
      if (v instanceof Number n) {
        return Optional.of(n.toString());
      }
      return Optional.empty();
    } catch (JSONPointerException e) {
      return Optional.empty();
    }
  }
}
