package dev.sluice.ingest;

import dev.sluice.schemas.Violation;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Why one ingest request did not end in an append, kept as a value. Mapping to HTTP happens in one place per server;
 * mapping to a metrics label is {@link #reason()}.
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

  /**
   * Kafka did not acknowledge the append in time (or refused it); the client may retry.
   *
   * @param cause the bounded label of the append failure, e.g. {@code broker_unreachable} or {@code backpressure}
   */
  record BrokerUnavailable(String cause, String detail) implements Rejection {
    public BrokerUnavailable(String detail) {
      this("broker_unreachable", detail);
    }

    public RejectReason reason() {
      return RejectReason.BROKER_UNAVAILABLE;
    }
  }

  /**
   * The request's validation was too costly for the event loop and the most such validations allowed are already
   * waiting for the validation pool ({@code ValidationLane}); the client may retry.
   */
  record ValidationBusy() implements Rejection {
    public RejectReason reason() {
      return RejectReason.VALIDATION_BUSY;
    }
  }

  /** The event is larger than Kafka's record limit (producer or broker): retrying the same event cannot succeed. */
  record RecordTooLarge(String detail) implements Rejection {
    public RejectReason reason() {
      return RejectReason.TOO_LARGE;
    }
  }

  // ------------------------------------------------------------------------------------------ hard limits on input

  /**
   * The body is not UTF-8 (RFC 8259 requires it). {@code byteOffset} is where the first bad byte is; a NUL byte counts
   * as bad too, since it never occurs in UTF-8 JSON text and would make the parser guess UTF-16 or UTF-32.
   */
  record InvalidUtf8(long byteOffset) implements Rejection {
    public RejectReason reason() {
      return RejectReason.INVALID_UTF8;
    }
  }

  /** An object or array nested deeper than {@code limit}; {@code pointer} is the first container past it. */
  record NestingTooDeep(int limit, String pointer) implements Rejection {
    public RejectReason reason() {
      return RejectReason.NESTING_TOO_DEEP;
    }
  }

  /** A number whose text is longer than {@code limit} characters. */
  record NumberTooLong(int limit, String pointer) implements Rejection {
    public RejectReason reason() {
      return RejectReason.NUMBER_TOO_LONG;
    }
  }

  /** A string value or member name longer than {@code limit} characters; {@code memberName} says which. */
  record StringTooLong(int limit, String pointer, boolean memberName) implements Rejection {
    public RejectReason reason() {
      return RejectReason.STRING_TOO_LONG;
    }
  }

  /** An object with the same member twice: which value would win is ambiguous, so neither does. */
  record DuplicateKey(String pointer) implements Rejection {
    public RejectReason reason() {
      return RejectReason.DUPLICATE_KEY;
    }
  }

  /** Something other than whitespace after the JSON value, starting at {@code byteOffset}. */
  record TrailingContent(long byteOffset) implements Rejection {
    public RejectReason reason() {
      return RejectReason.TRAILING_CONTENT;
    }
  }

  /**
   * The JSON parser's own safety limits stopped it. The reader's checks above come first and say exactly which limit
   * and where; this one is only a backstop (the parser's limits are set looser than the reader's).
   */
  record InputLimitExceeded() implements Rejection {
    public RejectReason reason() {
      return RejectReason.INPUT_LIMIT_EXCEEDED;
    }
  }

  // ------------------------------------------------------------------------------------------------------ batches

  /** A batch body that is JSON but not an array. */
  record NotABatch(String detail) implements Rejection {
    public RejectReason reason() {
      return RejectReason.NOT_A_BATCH;
    }
  }

  /** A batch with no event in it. */
  record EmptyBatch() implements Rejection {
    public RejectReason reason() {
      return RejectReason.EMPTY_BATCH;
    }
  }

  /** A batch with more than {@code limit} events; reading stopped at the first one over. */
  record BatchTooLarge(int limit) implements Rejection {
    public RejectReason reason() {
      return RejectReason.BATCH_TOO_LARGE;
    }
  }

  /** A query parameter with a value the endpoint does not understand. */
  record InvalidParameter(String name, String value, String expected) implements Rejection {
    public RejectReason reason() {
      return RejectReason.INVALID_PARAMETER;
    }
  }

  // ----------------------------------------------------------------------------------- schema versions, partitions

  /** A {@code dataschema} that does not pin a version of the event's own type; {@code detail} says what is wrong. */
  record UnsupportedDataschema(String dataschema, String detail) implements Rejection {
    public RejectReason reason() {
      return RejectReason.UNSUPPORTED_DATASCHEMA;
    }
  }

  /** A {@code dataschema} pinning a version the type does not have; {@code latest} is its newest (0: none). */
  record UnknownSchemaVersion(String type, int version, int latest) implements Rejection {
    public RejectReason reason() {
      return RejectReason.UNKNOWN_SCHEMA_VERSION;
    }
  }

  /** The stream accepts the type but the registry holds no schema version for it yet: nothing to validate against. */
  record NoSchema(String type) implements Rejection {
    public RejectReason reason() {
      return RejectReason.NO_SCHEMA;
    }
  }

  /** The event carries the {@code partitionkey} extension but its stream takes keys only from the data. */
  record PartitionKeyExtensionNotAllowed(String stream, String type, String pointer) implements Rejection {
    public RejectReason reason() {
      return RejectReason.PARTITION_KEY_EXTENSION_NOT_ALLOWED;
    }
  }
}
