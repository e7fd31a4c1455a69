package dev.sluice.quarantine.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One handler call for a diverted event: when it started, in which tier, and how it failed (both empty when it
 * succeeded).
 */
public record HandlerAttempt(Instant at, Tier tier, String errorClass, String message) {
  /** Longest error message kept per attempt: an item must stay far below DynamoDB's 400 KB. */
  public static final int MAX_MESSAGE_LENGTH = 1_000;

  /** Where the attempt came from. */
  public enum Tier {
    /** Read from Kafka (or released from parking) and retried on the spot with short backoff. */
    IN_PLACE,
    /** Taken from the group's retry queue after a delay. */
    DELAYED,
    /** Redriven by an operator. */
    REDRIVE
  }

  public HandlerAttempt {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(tier, "tier");
    errorClass = errorClass == null ? "" : errorClass;
    message = message == null ? "" : message;
    if (message.length() > MAX_MESSAGE_LENGTH) {
      message = message.substring(0, MAX_MESSAGE_LENGTH);
    }
  }

  public static HandlerAttempt failed(Instant at, Tier tier, Throwable cause) {
    return new HandlerAttempt(at, tier, cause.getClass().getName(), String.valueOf(cause.getMessage()));
  }

  public static HandlerAttempt succeeded(Instant at, Tier tier) {
    return new HandlerAttempt(at, tier, "", "");
  }

  public boolean succeededAttempt() {
    return errorClass.isEmpty();
  }
}
