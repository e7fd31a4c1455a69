package dev.sluice.gateway.ingest;

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
  BROKER_UNAVAILABLE;

  /** The lower_snake label used in metrics, e.g. {@code schema_violation}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
