package dev.sluice.quarantine.store;

/** Why an event was diverted. The first four are poison (never retried); the last two come from the handler. */
public enum QuarantineReason {
  /** The record has no CloudEvents attributes, or breaks the CloudEvents rules. */
  NOT_A_CLOUDEVENT,
  /** The data is not JSON (or not UTF-8). */
  MALFORMED,
  /** No schema is registered for the event's type, or the stream does not accept it. */
  UNKNOWN_TYPE,
  /** The data breaks the type's schema. */
  SCHEMA_VIOLATION,
  /** The handler threw a non-retryable error. */
  HANDLER_REJECTED,
  /** The handler kept failing with retryable errors until the retry policy gave up. */
  RETRIES_EXHAUSTED
}
