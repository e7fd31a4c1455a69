package dev.sluice.console.jobs;

import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.quarantine.store.StoreException;

/** What one work item's redrive attempt came to, as the runner acts on it. */
enum Attempt {
  /** Moved QUARANTINED -> REDRIVEN and handed on: delete the work item, count it sent, watch its outcome. */
  SENT,
  /** Not redrivable (moved by someone else first, gone) or refused for good: delete the work item, count it skipped. */
  SKIPPED,
  /** An engine did not answer: leave the work item; SQS hands it out again after the visibility timeout. */
  RETRY,
  /** The job stopped before the item's turn: make the work item visible again at once. */
  RELEASE;

  /** Failures matched by type, never by message. */
  static Attempt ofFailure(Throwable failure) {
    if (failure instanceof StoreException) {
      // StatusConflict: another job or an operator moved it first; NotFound: it is gone.
      return SKIPPED;
    }
    if (failure instanceof ConsoleFailure f) {
      ConsoleError e = f.error();
      if (e instanceof ConsoleError.Unavailable) {
        return RETRY;
      }
      // NotRedrivable, ItemNotFound, EventRefused, RecordTooLarge, ...: redriving again would not change the answer.
      return SKIPPED;
    }
    return RETRY;
  }
}
