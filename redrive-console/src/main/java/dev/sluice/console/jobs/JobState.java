package dev.sluice.console.jobs;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a bulk redrive job stands. RUNNING and PAUSED are live; DONE, HALTED and CANCELLED are final.
 *
 * <pre>
 *   RUNNING -> PAUSED | DONE | HALTED | CANCELLED
 *   PAUSED  -> RUNNING | HALTED | CANCELLED
 * </pre>
 */
public enum JobState {
  RUNNING, PAUSED, DONE, HALTED, CANCELLED;

  /** Whether the job may move from this state to {@code next}. */
  public boolean canBecome(JobState next) {
    return successors().contains(next);
  }

  public boolean isFinal() {
    return successors().isEmpty();
  }

  private Set<JobState> successors() {
    return switch (this) {
      case RUNNING -> EnumSet.of(PAUSED, DONE, HALTED, CANCELLED);
      // A paused job still learns outcomes of what it sent, so it can still halt.
      case PAUSED -> EnumSet.of(RUNNING, HALTED, CANCELLED);
      case DONE, HALTED, CANCELLED -> EnumSet.noneOf(JobState.class);
    };
  }
}
