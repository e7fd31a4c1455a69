package dev.sluice.ingest;

import java.util.Locale;

/** Why an event was not appended: a closed set, so that it can be a bounded metrics label. */
public enum RejectReason {
  MALFORMED,
  NOT_CLOUDEVENT,
  UNKNOWN_STREAM,
  TYPE_NOT_ACCEPTED,
  SCHEMA_VIOLATION,
  MISSING_PARTITION_KEY,
  TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE,
  BROKER_UNAVAILABLE,
  /** Too many costly validations were already waiting for the validation pool (503). */
  VALIDATION_BUSY,
  INVALID_UTF8,
  NESTING_TOO_DEEP,
  NUMBER_TOO_LONG,
  STRING_TOO_LONG,
  DUPLICATE_KEY,
  TRAILING_CONTENT,
  INPUT_LIMIT_EXCEEDED,
  NOT_A_BATCH,
  EMPTY_BATCH,
  BATCH_TOO_LARGE,
  /** A valid event of an all-or-nothing batch that was not appended because another event of it was rejected. */
  BATCH_ABORTED,
  INVALID_PARAMETER,
  UNSUPPORTED_DATASCHEMA,
  UNKNOWN_SCHEMA_VERSION,
  NO_SCHEMA,
  PARTITION_KEY_EXTENSION_NOT_ALLOWED;

  /** The lower_snake label used in metrics, e.g. {@code schema_violation}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
