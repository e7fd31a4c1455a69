package dev.sluice.schemas.registry;

import dev.sluice.schemas.catalog.StreamDefinition;
import java.util.Objects;

/**
 * One change to the registry, as stored in the registry's compacted Kafka topic and applied, in log order, by
 * {@link RegistryState#apply}. Every replica applies the same records in the same order, so all reach the same state.
 */
public sealed interface RegistryRecord {

  /** Version {@code version} of {@code type} is {@code schemaJson}. */
  record SchemaRegistered(String type, int version, String schemaJson) implements RegistryRecord {
    public SchemaRegistered {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(schemaJson, "schemaJson");
    }
  }

  /** The compatibility level new versions of {@code type} must keep. */
  record CompatibilitySet(String type, Compatibility compatibility) implements RegistryRecord {
    public CompatibilitySet {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(compatibility, "compatibility");
    }
  }

  /** A stream's definition, created or replaced. */
  record StreamPut(StreamDefinition stream) implements RegistryRecord {
    public StreamPut {
      Objects.requireNonNull(stream, "stream");
    }
  }
}
