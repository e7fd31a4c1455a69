package dev.sluice.quarantine.store;

import java.util.Set;

/**
 * Why an event was diverted. The first five are poison (never retried, decided before any handler runs); the next two
 * come from the handler; the last two describe an item that is not (yet) dead.
 */
public enum QuarantineReason {
  /** The record has no CloudEvents attributes, or breaks the CloudEvents rules. */
  NOT_A_CLOUDEVENT,
  /** The data is not JSON (or not UTF-8). */
  MALFORMED,
  /** No schema is registered for the event's type, or the stream does not accept it. */
  UNKNOWN_TYPE,
  /** The data breaks the type's schema. */
  SCHEMA_VIOLATION,
  /**
   * The event's sealed fields cannot be unsealed: a ciphertext tampered with or copied from another event or field, a
   * key version or key the key table does not have, a {@code sluice-sealed} header that does not match the data, or
   * a marked value in the clear without one. Decided before the handler runs, like the reasons above.
   */
  SEAL_FAILURE,
  /** The handler threw a non-retryable error. */
  HANDLER_REJECTED,
  /** The handler kept failing with retryable errors until the retry policies gave up (attempts or time budget). */
  RETRIES_EXHAUSTED,
  /** The handler failed with a retryable error; a delayed retry is scheduled (status RETRYING). */
  HANDLER_FAILED,
  /** An earlier event with the same key is open for this group; this one waits behind it (status PARKED). */
  KEY_BLOCKED;

  private static final Set<QuarantineReason> POISON = Set.of(NOT_A_CLOUDEVENT, MALFORMED, UNKNOWN_TYPE, SCHEMA_VIOLATION,
      SEAL_FAILURE);

  /** Poison is judged before any handler runs, and is never retried. */
  public boolean isPoison() {
    return POISON.contains(this);
  }
}
