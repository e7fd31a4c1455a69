package dev.sluice.console.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobStateTest {
  private static Set<JobState> successors(JobState s) {
    Set<JobState> out = EnumSet.noneOf(JobState.class);
    for (JobState next : JobState.values()) {
      if (s.canBecome(next)) {
        out.add(next);
      }
    }
    return out;
  }

  @Test
  void runningMayPauseFinishHaltOrBeCancelled() {
    assertEquals(EnumSet.of(JobState.PAUSED, JobState.DONE, JobState.HALTED, JobState.CANCELLED),
        successors(JobState.RUNNING));
  }

  @Test
  void pausedMayResumeHaltOrBeCancelledButNotFinish() {
    assertEquals(EnumSet.of(JobState.RUNNING, JobState.HALTED, JobState.CANCELLED), successors(JobState.PAUSED));
  }

  @Test
  void finalStatesGoNowhere() {
    for (JobState s : EnumSet.of(JobState.DONE, JobState.HALTED, JobState.CANCELLED)) {
      assertTrue(s.isFinal(), s.name());
      assertEquals(Set.of(), successors(s), s.name());
    }
    assertFalse(JobState.RUNNING.isFinal());
    assertFalse(JobState.PAUSED.isFinal());
  }

  @Test
  void noStateBecomesItself() {
    for (JobState s : JobState.values()) {
      assertFalse(s.canBecome(s), s.name());
    }
  }
}
