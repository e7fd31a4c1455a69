package dev.sluice.quarantine.store;

import dev.sluice.schemas.Violation;
import java.time.Instant;
import java.util.List;

/** Where an open item goes next, with the handler attempts that led there ({@link ConsumerWrites#settle}). */
public sealed interface Settlement {
  /** Handler attempts made in this step, appended to the item's attempt log and counted in {@code attempts}. */
  List<HandlerAttempt> attempts();

  /** The delivery generation the last attempt ran at. */
  int generation();

  /** The handler took the event. */
  record Resolved(List<HandlerAttempt> attempts, int generation, String detail) implements Settlement {}

  /** Dead: no more automatic attempts. */
  record Quarantined(
      QuarantineReason reason, String errorClass, String message, List<Violation> violations,
      List<HandlerAttempt> attempts, int generation) implements Settlement {}

  /** Another delayed attempt is scheduled. */
  record Retrying(String errorClass, String message, Instant nextAttemptAt, List<HandlerAttempt> attempts,
      int generation) implements Settlement {}
}
