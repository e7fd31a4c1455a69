package dev.sluice.quarantine.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One handler call for a diverted event: when it started, in which tier, and how it failed (both empty when it
 * succeeded), with the failure's stack trace ({@link StackTraces bounded}) when there is one.
 */
public record HandlerAttempt(Instant at, Tier tier, String errorClass, String message, Optional<String> stackTrace) {
  /** Longest error message kept per attempt: an item must stay far below DynamoDB's 400 KB. */
  public static final int MAX_MESSAGE_LENGTH = 1_000;
  /**
   * Attempts of one item that keep their stack trace; later ones keep error class and message only. The attempt log
   * has no length limit (every redrive adds a round), and an item must stay below DynamoDB's 400 KB: this many traces
   * of at most {@link StackTraces#MAX_CHARS} stay under 160 KB. 20 covers the default chain (5 in-place and 8 delayed
   * attempts) and the first redrive.
   */
  public static final int MAX_TRACED_ATTEMPTS = 20;

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
    // Absent means no trace (a success, or an attempt recorded before traces were kept): never an empty one.
    stackTrace = stackTrace == null ? Optional.empty()
        : stackTrace.filter(t -> !t.isEmpty()).map(StackTraces::bounded);
  }

  /** An attempt without a stack trace. */
  public HandlerAttempt(Instant at, Tier tier, String errorClass, String message) {
    this(at, tier, errorClass, message, Optional.empty());
  }

  /** A failed attempt, with the failure's bounded stack trace (none for a throwable made without one). */
  public static HandlerAttempt failed(Instant at, Tier tier, Throwable cause) {
    return new HandlerAttempt(at, tier, cause.getClass().getName(), String.valueOf(cause.getMessage()),
        StackTraces.of(cause));
  }

  /**
   * A failed attempt of a handler that a frame of one of {@code callers} (class names) called, with the failure's
   * bounded stack trace ending at that frame ({@link StackTraces#of(Throwable, Set)}): the frames below it, the same
   * for every call, are only counted.
   */
  public static HandlerAttempt failed(Instant at, Tier tier, Throwable cause, Set<String> callers) {
    return new HandlerAttempt(at, tier, cause.getClass().getName(), String.valueOf(cause.getMessage()),
        StackTraces.of(cause, callers));
  }

  public static HandlerAttempt succeeded(Instant at, Tier tier) {
    return new HandlerAttempt(at, tier, "", "");
  }

  public boolean succeededAttempt() {
    return errorClass.isEmpty();
  }

  /** This attempt without its stack trace. */
  public HandlerAttempt withoutStackTrace() {
    return stackTrace.isEmpty() ? this : new HandlerAttempt(at, tier, errorClass, message);
  }

  /**
   * {@code added}, to be appended to an item whose log is {@code earlier}, with stack traces dropped from the attempts
   * past the item's {@link #MAX_TRACED_ATTEMPTS} traced ones (the oldest traces are kept: the log is only appended to).
   */
  public static List<HandlerAttempt> withinTraceBudget(List<HandlerAttempt> earlier, List<HandlerAttempt> added) {
    long traced = earlier.stream().filter(a -> a.stackTrace().isPresent()).count();
    List<HandlerAttempt> out = new ArrayList<>(added.size());
    for (HandlerAttempt a : added) {
      if (a.stackTrace().isPresent()) {
        if (traced >= MAX_TRACED_ATTEMPTS) {
          a = a.withoutStackTrace();
        } else {
          traced++;
        }
      }
      out.add(a);
    }
    return List.copyOf(out);
  }
}
