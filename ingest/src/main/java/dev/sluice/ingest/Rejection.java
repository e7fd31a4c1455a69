package dev.sluice.ingest;

import dev.sluice.ingest.problem.Failure;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.marks.DataSubject;
import dev.sluice.schemas.marks.SensitiveMarks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why one ingest request did not end in an append, kept as a value. Each rejection knows its {@link IngestProblem}
 * (and so its metrics label) and what to tell the client: detail, violations (pointers rooted at the event, or at the
 * body for the hard limits) and extension members. Servers render that in one place each.
 *
 * <p>Each kind of rejection is answered with its own problem type, the one whose constant names its record: the
 * records below say only what differs from one occurrence to the next.
 */
public sealed interface Rejection extends Failure {
  @Override
  default IngestProblem problem() {
    return IngestProblem.answering(this);
  }

  /** No stream of that name in the catalog. */
  record UnknownStream(String stream) implements Rejection {
    public String detail() {
      return "there is no stream named '" + stream + "'";
    }
  }

  /**
   * A Content-Type the endpoint does not take: {@code contentType} is null if the header is absent; {@code expected}
   * says what it takes (for ingest: structured mode, binary mode with a JSON body, or a batch).
   */
  record UnsupportedMediaType(String contentType, String expected) implements Rejection {
    /** What ingest takes. */
    public static final String CLOUDEVENTS = "one CloudEvent as " + CloudEventHttpReader.STRUCTURED_MEDIA_TYPE
        + " (structured mode), or with ce-* headers and an application/json or +json body (binary mode), or a JSON "
        + "array of structured-mode events as " + CloudEventHttpReader.BATCH_MEDIA_TYPE;

    public UnsupportedMediaType {
      Objects.requireNonNull(expected, "expected");
    }

    /** Refused by ingest. */
    public UnsupportedMediaType(String contentType) {
      this(contentType, CLOUDEVENTS);
    }

    public String detail() {
      return "send " + expected + "; Content-Type was " + (contentType == null ? "absent" : "'" + contentType + "'");
    }
  }

  /** The body (or the event's data) is not JSON. */
  record Malformed(String detail, List<Violation> violations) implements Rejection {
    /** Where the reader says the body broke, at the end of its detail. */
    private static final Pattern WHERE = Pattern.compile("\\(line \\d+, column \\d+\\)$");

    public Malformed {
      Objects.requireNonNull(detail, "detail");
      violations = List.copyOf(violations);
    }

    /**
     * The same refusal without the parser's words, which quote the token it stopped at (possibly a piece of a value
     * marked sensitive): the detail and each violation say only where the body broke, when known.
     */
    public Malformed withoutExcerpt() {
      Matcher where = WHERE.matcher(detail);
      String said = "the body is not valid JSON" + (where.find() ? " " + where.group() : "")
          + "; the parser's own words are withheld, because the stream carries values marked sensitive";
      return new Malformed(said, violations.stream().map(v -> new Violation(v.pointer(), v.keyword(), said)).toList());
    }
  }

  /** JSON, but nothing says it is a CloudEvent (binary mode without {@code ce-specversion}, or not an object). */
  record NotACloudEvent(String detail) implements Rejection {}

  /** A CloudEvent whose attributes break the CloudEvents 1.0 rules. */
  record InvalidAttributes(List<Violation> violations) implements Rejection {
    public InvalidAttributes {
      violations = List.copyOf(violations);
    }

    public String detail() {
      return "the event breaks the CloudEvents 1.0 attribute rules";
    }
  }

  /** A well-formed CloudEvent whose type the stream does not accept. */
  record TypeNotAccepted(String stream, String type, Set<String> accepted) implements Rejection {
    public TypeNotAccepted {
      accepted = Set.copyOf(accepted);
    }

    public String detail() {
      String names = String.join(", ", new TreeSet<>(accepted));
      return "stream '" + stream + "' does not accept events of type '" + type + "'"
          + (names.isEmpty() ? "" : "; it accepts " + names);
    }

    public List<Violation> violations() {
      return List.of(new Violation("/type", "enum", detail()));
    }

    /** {@code acceptedTypes}: the types the stream does accept, sorted, for a client to offer instead. */
    public JsonObject members() {
      return new JsonObject().put("acceptedTypes", new JsonArray(new ArrayList<>(new TreeSet<>(accepted))));
    }
  }

  /** The data breaks version {@code version} of the type's schema; pointers are rooted at the event. */
  record SchemaViolation(String type, int version, List<Violation> violations) implements Rejection {
    public SchemaViolation {
      violations = List.copyOf(violations);
    }

    public String detail() {
      return "the data does not conform to the schema of '" + type + "'";
    }

    /** {@code schemaVersion}: the version the data was checked against (the pinned one, else the latest). */
    public JsonObject members() {
      return new JsonObject().put("schemaVersion", version);
    }
  }

  /**
   * The data, as validated, is not JSON; {@code message} says why. The reader has already read it as JSON, so this
   * is only the validator's parser refusing what the reader let through.
   */
  record MalformedData(String message) implements Rejection {
    public String detail() {
      return "the event's data is not valid JSON";
    }

    public List<Violation> violations() {
      return List.of(new Violation("/data", "json", message));
    }
  }

  /**
   * The type marks values sensitive, and the data subject its schema names (at {@code pointer}, rooted at the event)
   * is missing or unusable; {@code reason} says why without quoting the value.
   */
  record InvalidDataSubject(String type, String pointer, String reason) implements Rejection {
    public String detail() {
      return "events of type '" + type + "' carry values marked sensitive, which are protected per data subject: the "
          + "subject at " + pointer + " " + reason + "; it must be a string of 1 to " + DataSubject.MAX_LENGTH
          + " characters without control characters, or an integer";
    }

    public List<Violation> violations() {
      return List.of(new Violation(pointer, SensitiveMarks.DATA_SUBJECT, detail()));
    }
  }

  /** The data is schema-valid but carries no usable partition key at {@code pointer} (rooted at the event). */
  record MissingPartitionKey(String type, String pointer) implements Rejection {
    public String detail() {
      return "events of type '" + type + "' take their partition key from " + pointer
          + ", which must be a non-empty string or a number";
    }

    public List<Violation> violations() {
      return List.of(new Violation(pointer, "partitionKey", detail()));
    }
  }

  /** The body is larger than the configured limit. */
  record TooLarge(long limitBytes) implements Rejection {
    public String detail() {
      return "the request body exceeds the limit of " + limitBytes + " bytes";
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
  }

  /**
   * The request's validation was too costly for the event loop and the most such validations allowed are already
   * waiting for the validation pool ({@code ValidationLane}); the client may retry.
   */
  record ValidationBusy() implements Rejection {
    public String detail() {
      return "validating this request costs more than the event loop allows, and too many such requests are already "
          + "waiting for the validation pool; retry later";
    }
  }

  /** The event is larger than Kafka's record limit (producer or broker): retrying the same event cannot succeed. */
  record RecordTooLarge(String detail) implements Rejection {}

  /**
   * The key that protects the event's sensitive values could not be had (the key table or the key-encryption key did
   * not answer, or this gateway may not use it): nothing was appended, since those values may never reach Kafka in the
   * clear; the client may retry. Names no subject and no value.
   */
  record KeyUnavailable() implements Rejection {
    public String detail() {
      return "the key that protects this event's sensitive values is unavailable right now; it was not appended, "
          + "retry later";
    }
  }

  // ------------------------------------------------------------------------------------------ hard limits on input

  /**
   * The body is not UTF-8 (RFC 8259 requires it). {@code byteOffset} is where the first bad byte is; a NUL byte counts
   * as bad too, since it never occurs in UTF-8 JSON text and would make the parser guess UTF-16 or UTF-32.
   */
  record InvalidUtf8(long byteOffset) implements Rejection {
    public String detail() {
      return "the body is not UTF-8 text (RFC 8259 requires it): the byte at offset " + byteOffset
          + " starts an invalid sequence (a NUL byte counts as invalid; UTF-16 and UTF-32 are not accepted)";
    }

    /** {@code offset}: a byte offset into the body, since the body is not text a pointer could address. */
    public JsonObject members() {
      return new JsonObject().put("offset", byteOffset);
    }
  }

  /** An object or array nested deeper than {@code limit}; {@code pointer} is the first container past it. */
  record NestingTooDeep(int limit, String pointer) implements Rejection {
    public String detail() {
      return "objects and arrays nest deeper than the limit of " + limit + " levels (the event is level 1)";
    }

    public List<Violation> violations() {
      return List.of(new Violation(pointer, "maxDepth", detail()));
    }
  }

  /** A number whose text is longer than {@code limit} characters. */
  record NumberTooLong(int limit, String pointer) implements Rejection {
    public String detail() {
      return "a number is longer than the limit of " + limit + " characters";
    }

    public List<Violation> violations() {
      return List.of(new Violation(pointer, "maxNumberLength", detail()));
    }
  }

  /** A string value or member name longer than {@code limit} characters; {@code memberName} says which. */
  record StringTooLong(int limit, String pointer, boolean memberName) implements Rejection {
    public String detail() {
      return (memberName ? "a member name" : "a string") + " is longer than the limit of " + limit + " characters";
    }

    public List<Violation> violations() {
      return List.of(new Violation(pointer, "maxStringLength", detail()));
    }
  }

  /** An object with the same member twice: which value would win is ambiguous, so neither does. */
  record DuplicateKey(String pointer) implements Rejection {
    public String detail() {
      return "an object has the same member twice; which value counts would be ambiguous";
    }

    public List<Violation> violations() {
      return List.of(new Violation(pointer, "uniqueKeys", detail()));
    }
  }

  /** Something other than whitespace after the JSON value, starting at {@code byteOffset}. */
  record TrailingContent(long byteOffset) implements Rejection {
    public String detail() {
      return "the body continues after the JSON value, at byte offset " + byteOffset
          + "; send exactly one JSON value (a batch is one JSON array)";
    }

    /** {@code offset}: where the trailing content starts, in bytes. */
    public JsonObject members() {
      return new JsonObject().put("offset", byteOffset);
    }
  }

  /**
   * The JSON parser's own safety limits stopped it. The reader's checks above come first and say exactly which limit
   * and where; this one is only a backstop (the parser's limits are set looser than the reader's).
   */
  record InputLimitExceeded() implements Rejection {
    public String detail() {
      return "the body exceeds one of the JSON parser's safety limits (nesting, length or number of names)";
    }
  }

  // ------------------------------------------------------------------------------------------------------ batches

  /** A batch body that is JSON but not an array. */
  record NotABatch(String detail) implements Rejection {}

  /** A batch with no event in it. */
  record EmptyBatch() implements Rejection {
    public String detail() {
      return "the batch has no event; send at least one (an empty batch would be acknowledged without appending "
          + "anything, which usually hides a client bug)";
    }
  }

  /** A batch with more than {@code limit} events; reading stopped at the first one over. */
  record BatchTooLarge(int limit) implements Rejection {
    public String detail() {
      return "a batch may hold at most " + limit + " events; split it into smaller batches";
    }

    /** {@code maxEvents}: the limit, so that a client can split without parsing the detail. */
    public JsonObject members() {
      return new JsonObject().put("maxEvents", limit);
    }
  }

  /** A query parameter with a value the endpoint does not understand. */
  record InvalidParameter(String name, String value, String expected) implements Rejection {
    public String detail() {
      return "query parameter '" + name + "' must be " + expected + ", was '" + value + "'";
    }
  }

  // ----------------------------------------------------------------------------------- schema versions, partitions

  /** A {@code dataschema} that does not pin a version of the event's own type; {@code detail} says what is wrong. */
  record UnsupportedDataschema(String dataschema, String detail) implements Rejection {
    public List<Violation> violations() {
      return List.of(new Violation("/dataschema", "dataschema", detail));
    }
  }

  /** A {@code dataschema} pinning a version the type does not have; {@code latest} is its newest (0: none). */
  record UnknownSchemaVersion(String type, int version, int latest) implements Rejection {
    public String detail() {
      return "type '" + type + "' has no schema version " + version
          + (latest == 0 ? "; it has no version at all" : "; its versions are 1 to " + latest);
    }

    public List<Violation> violations() {
      return List.of(new Violation("/dataschema", "dataschema", detail()));
    }
  }

  /** The stream accepts the type but the registry holds no schema version for it yet: nothing to validate against. */
  record NoSchema(String type) implements Rejection {
    public String detail() {
      return "no schema version is registered for type '" + type + "' yet, so its events cannot be "
          + "validated; register one with POST /v1/schemas/" + type + "/versions";
    }

    public List<Violation> violations() {
      return List.of(new Violation("/type", "schema", detail()));
    }
  }

  /** The event carries the {@code partitionkey} extension but its stream takes keys only from the data. */
  record PartitionKeyExtensionNotAllowed(String stream, String type, String pointer) implements Rejection {
    public String detail() {
      return "stream '" + stream + "' does not let producers choose the partition key: events of type '" + type
          + "' are keyed by " + pointer + ", which keeps each entity's events in order for consumers. "
          + "Remove the partitionkey extension attribute";
    }

    public List<Violation> violations() {
      return List.of(new Violation("/partitionkey", "partitionKeyExtension", detail()));
    }
  }

  // -------------------------------------------------------------------------------------------- captured requests

  /**
   * A captured request, read again to redrive it, that cannot be read as a CloudEvent at all: {@code detail} says
   * what the reader found and whether replacement data can help; {@code violations} are the reader's, if any.
   */
  record Unreadable(String detail, List<Violation> violations) implements Rejection {
    public Unreadable {
      Objects.requireNonNull(detail, "detail");
      violations = List.copyOf(violations);
    }
  }
}
