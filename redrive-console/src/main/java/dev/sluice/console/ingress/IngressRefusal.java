package dev.sluice.console.ingress;

import dev.sluice.schemas.Violation;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Why a captured ingress reject cannot be appended to its stream (yet), kept as a value. These are the gateway's own
 * refusals, found by the same checks, so an operator learns before anything is written what ingest would say.
 * {@link dev.sluice.console.problem.Problems} alone turns them into problem+json.
 *
 * <p>Every refusal lists its {@link #violations()} with pointers rooted at the event ({@code /data/...},
 * {@code /type}), so the page can show them next to the data being edited.
 */
public sealed interface IngressRefusal {

  /** The violations to show; pointers rooted at the event. Empty when the refusal has no place in the event. */
  List<Violation> violations();

  /** The captured request cannot be read as a CloudEvent at all, and replacement data cannot change that. */
  record Unreadable(String detail) implements IngressRefusal {
    public Unreadable {
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public List<Violation> violations() {
      return List.of();
    }
  }

  /** The envelope breaks the CloudEvents rules; only data can be replaced, so a redrive cannot fix it. */
  record InvalidAttributes(List<Violation> violations) implements IngressRefusal {
    public InvalidAttributes {
      violations = List.copyOf(violations);
    }
  }

  /** No stream writes to the item's topic any more, so there is nowhere to append it. */
  record NoStreamForTopic(String topic) implements IngressRefusal {
    @Override
    public List<Violation> violations() {
      return List.of();
    }
  }

  /** The stream does not accept the event's type. */
  record TypeNotAccepted(String stream, String type, Set<String> acceptedTypes) implements IngressRefusal {
    public TypeNotAccepted {
      acceptedTypes = Set.copyOf(acceptedTypes);
    }

    @Override
    public List<Violation> violations() {
      return List.of(new Violation("/type", "enum", "stream " + stream + " does not accept type " + type));
    }
  }

  /** The event sets the Kafka key with the {@code partitionkey} extension, which its stream does not allow. */
  record PartitionKeyExtensionNotAllowed(String stream, String type, String keyPointer) implements IngressRefusal {
    @Override
    public List<Violation> violations() {
      return List.of(new Violation("/partitionkey", "extension", "stream " + stream
          + " takes the key of " + type + " from " + keyPointer + ", not from the partitionkey extension"));
    }
  }

  /** {@code dataschema} names no registry version the console can check against. */
  record UnsupportedDataschema(String dataschema, String detail) implements IngressRefusal {
    @Override
    public List<Violation> violations() {
      return List.of(new Violation("/dataschema", "dataschema", detail));
    }
  }

  /** {@code dataschema} pins a version that is not registered. */
  record UnknownSchemaVersion(String type, int version, int latestVersion) implements IngressRefusal {
    @Override
    public List<Violation> violations() {
      return List.of(new Violation("/dataschema", "dataschema", "type " + type + " has no schema version " + version
          + (latestVersion > 0 ? " (the latest is " + latestVersion + ")" : "")));
    }
  }

  /** The type has no registered schema at all. */
  record NoSchema(String type) implements IngressRefusal {
    @Override
    public List<Violation> violations() {
      return List.of(new Violation("/type", "schema", "no schema is registered for type " + type));
    }
  }

  /** The data is not JSON (the captured body, in binary mode: give replacement data to fix it). */
  record MalformedData(String detail) implements IngressRefusal {
    @Override
    public List<Violation> violations() {
      return List.of(new Violation("/data", "json", detail));
    }
  }

  /** The data breaks the schema version it is checked against. */
  record SchemaViolation(String type, int schemaVersion, List<Violation> violations) implements IngressRefusal {
    public SchemaViolation {
      violations = List.copyOf(violations);
    }
  }

  /** There is no partition key where the type's pointer (or the allowed {@code partitionkey} extension) says. */
  record MissingPartitionKey(String type, String pointer) implements IngressRefusal {
    @Override
    public List<Violation> violations() {
      return List.of(new Violation(pointer, "required",
          "the partition key of " + type + " must be a non-empty string or a number here"));
    }
  }
}
