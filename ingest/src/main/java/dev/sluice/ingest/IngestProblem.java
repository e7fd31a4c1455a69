package dev.sluice.ingest;

import dev.sluice.ingest.problem.ProblemType;
import java.util.Locale;

/**
 * Why an event was not appended: the problem types of the ingest contract, defined once for every server that
 * answers with them (the gateway at ingest, the console when it redrives a captured reject). A closed set, so that
 * {@link #label()} is a bounded metrics label.
 */
public enum IngestProblem implements ProblemType {
  UNKNOWN_STREAM(404, "Unknown stream"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  MALFORMED_JSON(400, "Malformed JSON", "malformed"),
  NOT_A_CLOUDEVENT(400, "Not a CloudEvent", "not_cloudevent"),
  INVALID_CLOUDEVENT(400, "Invalid CloudEvent", "not_cloudevent"),
  TYPE_NOT_ACCEPTED(422, "Event type not accepted"),
  SCHEMA_VIOLATION(422, "Schema violation"),
  /** The data, as validated, is not JSON (the reader already read it as JSON, so only a validator's own limits). */
  MALFORMED_DATA(422, "Data is not JSON", "malformed"),
  MISSING_PARTITION_KEY(422, "Missing partition key"),
  PAYLOAD_TOO_LARGE(413, "Payload too large", "too_large"),
  RECORD_TOO_LARGE(413, "Record too large", "too_large"),
  BROKER_UNAVAILABLE(503, "Broker unavailable"),
  /** Too many costly validations were already waiting for the validation pool. */
  VALIDATION_BUSY(503, "Validation busy"),
  INVALID_UTF8(400, "Invalid UTF-8"),
  NESTING_TOO_DEEP(400, "Nesting too deep"),
  NUMBER_TOO_LONG(400, "Number too long"),
  STRING_TOO_LONG(400, "String too long"),
  DUPLICATE_KEY(400, "Duplicate object key"),
  TRAILING_CONTENT(400, "Trailing content"),
  INPUT_LIMIT_EXCEEDED(400, "Input limit exceeded"),
  NOT_A_BATCH(400, "Not a batch"),
  EMPTY_BATCH(400, "Empty batch"),
  BATCH_TOO_LARGE(413, "Batch too large"),
  INVALID_PARAMETER(400, "Invalid query parameter"),
  UNSUPPORTED_DATASCHEMA(422, "Unsupported dataschema"),
  UNKNOWN_SCHEMA_VERSION(422, "Unknown schema version"),
  NO_SCHEMA(422, "No schema for the type"),
  PARTITION_KEY_EXTENSION_NOT_ALLOWED(422, "Partition key extension not allowed"),
  /** A captured request read again (to redrive it) that cannot be read as a CloudEvent at all. */
  UNREADABLE_EVENT(422, "Captured request is not a readable CloudEvent");

  private final Spec spec;
  private final String label;

  IngestProblem(int status, String title) {
    this(status, title, null);
  }

  /** A type whose metrics label it shares with others: one fault for dashboards, told apart for clients. */
  IngestProblem(int status, String title, String sharedLabel) {
    this.spec = new Spec(status, title);
    this.label = sharedLabel == null ? name().toLowerCase(Locale.ROOT) : sharedLabel;
  }

  @Override
  public Spec spec() {
    return spec;
  }

  /** The lower_snake label used in metrics ({@code reason}) and in captured rejects, e.g. {@code schema_violation}. */
  public String label() {
    return label;
  }
}
