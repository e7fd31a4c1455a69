package dev.sluice.ingest;

import dev.sluice.ingest.Rejection.BatchTooLarge;
import dev.sluice.ingest.Rejection.BrokerUnavailable;
import dev.sluice.ingest.Rejection.DuplicateKey;
import dev.sluice.ingest.Rejection.EmptyBatch;
import dev.sluice.ingest.Rejection.InputLimitExceeded;
import dev.sluice.ingest.Rejection.InvalidAttributes;
import dev.sluice.ingest.Rejection.InvalidDataSubject;
import dev.sluice.ingest.Rejection.InvalidParameter;
import dev.sluice.ingest.Rejection.InvalidUtf8;
import dev.sluice.ingest.Rejection.KeyUnavailable;
import dev.sluice.ingest.Rejection.Malformed;
import dev.sluice.ingest.Rejection.MalformedData;
import dev.sluice.ingest.Rejection.MissingPartitionKey;
import dev.sluice.ingest.Rejection.NestingTooDeep;
import dev.sluice.ingest.Rejection.NoSchema;
import dev.sluice.ingest.Rejection.NotABatch;
import dev.sluice.ingest.Rejection.NotACloudEvent;
import dev.sluice.ingest.Rejection.NumberTooLong;
import dev.sluice.ingest.Rejection.PartitionKeyExtensionNotAllowed;
import dev.sluice.ingest.Rejection.RecordTooLarge;
import dev.sluice.ingest.Rejection.SchemaViolation;
import dev.sluice.ingest.Rejection.StringTooLong;
import dev.sluice.ingest.Rejection.TooLarge;
import dev.sluice.ingest.Rejection.TrailingContent;
import dev.sluice.ingest.Rejection.TypeNotAccepted;
import dev.sluice.ingest.Rejection.UnknownSchemaVersion;
import dev.sluice.ingest.Rejection.UnknownStream;
import dev.sluice.ingest.Rejection.Unreadable;
import dev.sluice.ingest.Rejection.UnsupportedDataschema;
import dev.sluice.ingest.Rejection.UnsupportedMediaType;
import dev.sluice.ingest.Rejection.ValidationBusy;
import dev.sluice.ingest.problem.ProblemType;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Why an event was not appended: the problem types of the ingest contract, defined once for every server that
 * answers with them (the gateway at ingest, the console when it redrives a captured reject). A closed set, so that
 * {@link #label()} is a bounded metrics label. Each type names the {@link Rejection} record it answers, one each way.
 */
public enum IngestProblem implements ProblemType {
  UNKNOWN_STREAM(UnknownStream.class, 404, "Unknown stream"),
  UNSUPPORTED_MEDIA_TYPE(UnsupportedMediaType.class, 415, "Unsupported media type"),
  MALFORMED_JSON(Malformed.class, 400, "Malformed JSON", "malformed"),
  NOT_A_CLOUDEVENT(NotACloudEvent.class, 400, "Not a CloudEvent", "not_cloudevent"),
  INVALID_CLOUDEVENT(InvalidAttributes.class, 400, "Invalid CloudEvent", "not_cloudevent"),
  TYPE_NOT_ACCEPTED(TypeNotAccepted.class, 422, "Event type not accepted"),
  SCHEMA_VIOLATION(SchemaViolation.class, 422, "Schema violation"),
  /** The data, as validated, is not JSON (the reader already read it as JSON, so only a validator's own limits). */
  MALFORMED_DATA(MalformedData.class, 422, "Data is not JSON", "malformed"),
  MISSING_PARTITION_KEY(MissingPartitionKey.class, 422, "Missing partition key"),
  /** The type marks values sensitive and the data subject they belong to is missing or unusable. */
  INVALID_DATA_SUBJECT(InvalidDataSubject.class, 422, "Invalid data subject"),
  PAYLOAD_TOO_LARGE(TooLarge.class, 413, "Payload too large", "too_large"),
  RECORD_TOO_LARGE(RecordTooLarge.class, 413, "Record too large", "too_large"),
  BROKER_UNAVAILABLE(BrokerUnavailable.class, 503, "Broker unavailable"),
  /** Too many costly validations were already waiting for the validation pool. */
  VALIDATION_BUSY(ValidationBusy.class, 503, "Validation busy"),
  /** The key for the event's sensitive values could not be had: nothing was appended. */
  KEY_UNAVAILABLE(KeyUnavailable.class, 503, "Key unavailable"),
  INVALID_UTF8(InvalidUtf8.class, 400, "Invalid UTF-8"),
  NESTING_TOO_DEEP(NestingTooDeep.class, 400, "Nesting too deep"),
  NUMBER_TOO_LONG(NumberTooLong.class, 400, "Number too long"),
  STRING_TOO_LONG(StringTooLong.class, 400, "String too long"),
  DUPLICATE_KEY(DuplicateKey.class, 400, "Duplicate object key"),
  TRAILING_CONTENT(TrailingContent.class, 400, "Trailing content"),
  INPUT_LIMIT_EXCEEDED(InputLimitExceeded.class, 400, "Input limit exceeded"),
  NOT_A_BATCH(NotABatch.class, 400, "Not a batch"),
  EMPTY_BATCH(EmptyBatch.class, 400, "Empty batch"),
  BATCH_TOO_LARGE(BatchTooLarge.class, 413, "Batch too large"),
  INVALID_PARAMETER(InvalidParameter.class, 400, "Invalid query parameter"),
  UNSUPPORTED_DATASCHEMA(UnsupportedDataschema.class, 422, "Unsupported dataschema"),
  UNKNOWN_SCHEMA_VERSION(UnknownSchemaVersion.class, 422, "Unknown schema version"),
  NO_SCHEMA(NoSchema.class, 422, "No schema for the type"),
  PARTITION_KEY_EXTENSION_NOT_ALLOWED(PartitionKeyExtensionNotAllowed.class, 422,
      "Partition key extension not allowed"),
  /** A captured request read again (to redrive it) that cannot be read as a CloudEvent at all. */
  UNREADABLE_EVENT(Unreadable.class, 422, "Captured request is not a readable CloudEvent");

  private static final Map<Class<?>, IngestProblem> BY_REJECTION = byRejection();

  private final Class<? extends Rejection> rejection;
  private final Spec spec;
  private final String label;

  IngestProblem(Class<? extends Rejection> rejection, int status, String title) {
    this(rejection, status, title, null);
  }

  /** A type whose metrics label it shares with others: one fault for dashboards, told apart for clients. */
  IngestProblem(Class<? extends Rejection> rejection, int status, String title, String sharedLabel) {
    this.rejection = rejection;
    this.spec = new Spec(status, title);
    this.label = sharedLabel == null ? name().toLowerCase(Locale.ROOT) : sharedLabel;
  }

  /** The problem {@code rejection} is answered with. */
  static IngestProblem answering(Rejection rejection) {
    return BY_REJECTION.get(rejection.getClass());
  }

  /** Refuses, when the class loads, a kind of rejection named by no type or by two. */
  private static Map<Class<?>, IngestProblem> byRejection() {
    Map<Class<?>, IngestProblem> byRejection = new HashMap<>();
    for (IngestProblem problem : values()) {
      IngestProblem other = byRejection.put(problem.rejection, problem);
      if (other != null) {
        throw new IllegalStateException(other + " and " + problem + " both answer " + problem.rejection);
      }
    }
    for (Class<?> kind : Rejection.class.getPermittedSubclasses()) {
      if (!byRejection.containsKey(kind)) {
        throw new IllegalStateException("no IngestProblem answers " + kind);
      }
    }
    return Map.copyOf(byRejection);
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
