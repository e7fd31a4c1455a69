package dev.sluice.loadtests.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.loadtests.load.KneeFinder.Step;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class KneeFinderTest {
  private final RampPlan plan = new RampPlan(100, 100, 1000, Duration.ofSeconds(10), Duration.ofMillis(200), 0.01);
  private final KneeFinder finder = new KneeFinder(plan);

  /** A step that sent all it was due to, with {@code ko} failures and the given p99. */
  private static Step step(double rate, long ko, long p99Millis) {
    long sent = (long) (rate * 10);
    return new Step(rate, 10, sent, sent - ko, ko, 0, p99Millis * 1000);
  }

  @Test
  void theKneeIsTheHighestStepBeforeTheFirstFailure() {
    KneeFinder.Result r = finder.find(List.of(step(100, 0, 20), step(200, 0, 40), step(300, 5, 150),
        step(400, 0, 450), step(500, 0, 30)));
    assertEquals(300, r.knee().orElseThrow().offeredRate());
    assertEquals(400, r.firstFailure().orElseThrow().step().offeredRate());
    assertTrue(r.firstFailure().orElseThrow().reason().orElseThrow().startsWith("p99 450 ms > 200 ms"));
    // A later step that happens to pass does not move the knee: the ramp broke below it.
    assertEquals(5, r.verdicts().size());
    assertTrue(r.verdicts().get(4).passed());
  }

  @Test
  void errorsAboveTheThresholdBreakAStep() {
    KneeFinder.Result r = finder.find(List.of(step(100, 0, 20), step(200, 21, 40)));
    assertEquals(100, r.knee().orElseThrow().offeredRate());
    assertTrue(r.firstFailure().orElseThrow().reason().orElseThrow().startsWith("errors 1.05 % > 1.00 %"));
  }

  @Test
  void errorsAtTheThresholdStillPass() {
    assertTrue(finder.judge(step(200, 20, 40)).isEmpty());
  }

  @Test
  void unansweredRequestsCountAsErrors() {
    Step s = new Step(200, 10, 2000, 1900, 0, 100, 50_000);
    assertEquals(0.05, s.errorRatio(), 1e-9);
    assertTrue(finder.judge(s).orElseThrow().contains("100 unanswered"));
  }

  @Test
  void aGeneratorThatFallsBehindEndsTheRampWithItsOwnReason() {
    Step s = new Step(1000, 10, 8000, 8000, 0, 0, 10_000);
    assertTrue(finder.judge(s).orElseThrow().contains("generator"));
  }

  @Test
  void noKneeWhenTheFirstStepFails() {
    KneeFinder.Result r = finder.find(List.of(step(100, 0, 900), step(200, 0, 20)));
    assertTrue(r.knee().isEmpty());
    assertEquals(100, r.firstFailure().orElseThrow().step().offeredRate());
  }

  @Test
  void noFailureWhenEveryStepPasses() {
    KneeFinder.Result r = finder.find(List.of(step(100, 0, 20), step(200, 0, 20)));
    assertEquals(200, r.knee().orElseThrow().offeredRate());
    assertFalse(r.firstFailure().isPresent());
  }

  @Test
  void stepsAreReadFromTheRecorderAfterTheWarmUp() {
    TimeSeriesRecorder rec = new TimeSeriesRecorder(100).startAt(1);
    RampPlan two = new RampPlan(10, 10, 20, Duration.ofSeconds(2), Duration.ofMillis(200), 0.01);
    // Warm-up second 0: a slow request that must not count. Step 1 = seconds 1-2, step 2 = seconds 3-4.
    long sec = 1_000_000_000L;
    rec.answered(1, 5_000_000, true);
    for (int s = 1; s <= 4; s++) {
      long at = 1 + s * sec;
      for (int i = 0; i < (s <= 2 ? 10 : 20); i++) {
        countSent(rec, at);
        rec.answered(at, s <= 2 ? 1_000 : 300_000, true);
      }
    }
    List<Step> steps = RampMonitor.steps(rec, two, 1);
    assertEquals(2, steps.size());
    assertEquals(20, steps.get(0).sent());
    assertTrue(steps.get(0).p99Micros() < 2_000);
    assertEquals(40, steps.get(1).sent());
    KneeFinder.Result r = new KneeFinder(two).find(steps);
    assertEquals(10, r.knee().orElseThrow().offeredRate());
  }

  private static void countSent(TimeSeriesRecorder rec, long at) {
    rec.sentAt(at);
  }
}
