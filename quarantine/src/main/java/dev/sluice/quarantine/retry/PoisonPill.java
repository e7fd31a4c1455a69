package dev.sluice.quarantine.retry;

/**
 * Thrown by a handler for an event that is valid for its schema but can never be handled: the wrapper quarantines it
 * at once as {@code HANDLER_REJECTED}, with no retry.
 */
public class PoisonPill extends RuntimeException {
  public PoisonPill(String message) {
    super(message);
  }

  public PoisonPill(String message, Throwable cause) {
    super(message, cause);
  }
}
