package dev.sluice.quarantine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.store.RedriveOutcomes.Outcome;
import dev.sluice.quarantine.store.RedriveOutcomes.RedriveState;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedriveOutcomesTest {
  private static Optional<RedriveState> now(QuarantineStatus status, int redriveCount) {
    return Optional.of(new RedriveState("i", status, redriveCount));
  }

  @Test
  void theSameRedriveStillRedrivenIsPending() {
    assertEquals(Outcome.PENDING, RedriveOutcomes.outcomeOf(now(QuarantineStatus.REDRIVEN, 2), 2));
  }

  @Test
  void resolvedAfterTheRedriveSucceeded() {
    assertEquals(Outcome.SUCCEEDED, RedriveOutcomes.outcomeOf(now(QuarantineStatus.RESOLVED, 1), 1));
  }

  @Test
  void openAgainAfterTheRedriveFailedAgain() {
    for (QuarantineStatus open : new QuarantineStatus[] {
        QuarantineStatus.QUARANTINED, QuarantineStatus.RETRYING, QuarantineStatus.PARKED}) {
      assertEquals(Outcome.FAILED_AGAIN, RedriveOutcomes.outcomeOf(now(open, 1), 1), open.name());
    }
  }

  @Test
  void redrivenAgainSinceMeansThisRedriveFailedWhateverTheStatusNow() {
    // Redrive 1 failed, an operator redrove it again (2), which then succeeded: redrive 1 still failed.
    assertEquals(Outcome.FAILED_AGAIN, RedriveOutcomes.outcomeOf(now(QuarantineStatus.RESOLVED, 2), 1));
    assertEquals(Outcome.FAILED_AGAIN, RedriveOutcomes.outcomeOf(now(QuarantineStatus.REDRIVEN, 3), 1));
  }

  @Test
  void discardedOrGoneIsNoOutcomeAndNotCounted() {
    assertEquals(Outcome.SETTLED_OTHERWISE, RedriveOutcomes.outcomeOf(now(QuarantineStatus.DISCARDED, 1), 1));
    assertEquals(Outcome.GONE, RedriveOutcomes.outcomeOf(Optional.empty(), 1));
    assertFalse(Outcome.SETTLED_OTHERWISE.counted());
    assertFalse(Outcome.GONE.counted());
    assertFalse(Outcome.PENDING.counted());
    assertTrue(Outcome.SUCCEEDED.counted());
    assertTrue(Outcome.FAILED_AGAIN.counted());
  }
}
