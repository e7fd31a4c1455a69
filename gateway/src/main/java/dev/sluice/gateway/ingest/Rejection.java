package dev.sluice.gateway.ingest;

import dev.sluice.schemas.Violation;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Why one ingest request did not end in an append, kept as a value. Mapping to HTTP happens in exactly one place,
 * {@code dev.sluice.gateway.http.Problems}; mapping to a metrics label is {@link #reason()}.
 */
public sealed interface Rejection {
  RejectReason reason();

  /** No stream of that name in the catalog. */
  record UnknownStream(String stream) implements Rejection {
    public RejectReason reason() {
      return RejectReason.UNKNOWN_STREAM;
    }
  }

  /** Neither structured mode nor binary mode with a JSON body. {@code contentType} is null when the header is absent. */
  record UnsupportedMediaType(String contentType) implements Rejection {
    public RejectReason reason() {
      return RejectReason.UNSUPPORTED_MEDIA_TYPE;
    }
  }

  /** The body (or the event's data) is not JSON. */
  record Malformed(String detail, List<Violation> violations) implements Rejection {
    public Malformed {
      Objects.requireNonNull(detail, "detail");
      violations = List.copyOf(violations);
    }

    public RejectReason reason() {
      return RejectReason.MALFORMED;
    }
  }

  /** JSON, but nothing says it is a CloudEvent (binary mode without {@code ce-specversion}, or not an object). */
  record NotACloudEvent(String detail) implements Rejection {
    public RejectReason reason() {
      return RejectReason.NOT_CLOUDEVENT;
    }
  }

  /** A CloudEvent whose attributes break the CloudEvents 1.0 rules. */
  record InvalidAttributes(List<Violation> violations) implements Rejection {
    public InvalidAttributes {
      violations = List.copyOf(violations);
    }

    public RejectReason reason() {
      return RejectReason.NOT_CLOUDEVENT;
    }
  }

  /** A well-formed CloudEvent whose type the stream does not accept. */
  record TypeNotAccepted(String stream, String type, Set<String> accepted) implements Rejection {
    public TypeNotAccepted {
      accepted = Set.copyOf(accepted);
    }

    public RejectReason reason() {
      return RejectReason.TYPE_NOT_ACCEPTED;
    }
  }

  /** The data breaks the type's schema; pointers are rooted at the event ({@code /data/...}). */
  record SchemaViolation(String type, List<Violation> violations) implements Rejection {
    public SchemaViolation {
      violations = List.copyOf(violations);
    }

    public RejectReason reason() {
      return RejectReason.SCHEMA_VIOLATION;
    }
  }

  /** The data is schema-valid but carries no usable partition key at {@code pointer} (rooted at the event). */
  record MissingPartitionKey(String type, String pointer) implements Rejection {
    public RejectReason reason() {
      return RejectReason.MISSING_PARTITION_KEY;
    }
  }

  /** The body is larger than the configured limit. */
  record TooLarge(long limitBytes) implements Rejection {
    public RejectReason reason() {
      return RejectReason.TOO_LARGE;
    }
  }

  /** Kafka did not acknowledge the append in time (or refused it); the client may retry. */
  record BrokerUnavailable(String detail) implements Rejection {
    public RejectReason reason() {
      return RejectReason.BROKER_UNAVAILABLE;
    }
  }
}
