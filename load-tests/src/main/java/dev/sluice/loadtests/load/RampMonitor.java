package dev.sluice.loadtests.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges the ramp's steps while it runs, each once its requests had time to be answered, and stops the generator at
 * the first step that fails: ramp to destruction, not beyond. Runs on its own daemon thread, polling four times a
 * second, so the request path does no extra work.
 */
final class RampMonitor {
  private final RampPlan plan;
  private final int warmupSeconds;
  private final TimeSeriesRecorder recorder;
  private final KneeFinder finder;
  private final LoadRun run;
  private final Thread thread;

  RampMonitor(RampPlan plan, int warmupSeconds, TimeSeriesRecorder recorder, LoadRun run) {
    this.plan = plan;
    this.warmupSeconds = warmupSeconds;
    this.recorder = recorder;
    this.finder = new KneeFinder(plan);
    this.run = run;
    this.thread = Daemons.unstarted("ramp-monitor", this::watch);
  }

  void start() {
    thread.start();
  }

  void close() {
    thread.interrupt();
  }

  /** How long after a step's end its unanswered requests count against it: its p99 bound, at least a second. */
  static Duration grace(RampPlan plan) {
    Duration oneSecond = Duration.ofSeconds(1);
    return plan.maxP99().compareTo(oneSecond) > 0 ? plan.maxP99() : oneSecond;
  }

  private void watch() {
    long stepSeconds = plan.stepDuration().toSeconds();
    long graceNanos = grace(plan).toNanos();
    int judged = 0;
    try {
      while (judged < plan.levels() && !run.stopping()) {
        Thread.sleep(250);
        long start = recorder.startNanos();
        long due = start + (warmupSeconds + (judged + 1) * stepSeconds) * 1_000_000_000L + graceNanos;
        if (start == 0 || System.nanoTime() < due) {
          continue;
        }
        KneeFinder.Step step = step(recorder, plan, warmupSeconds, judged);
        Optional<String> failed = finder.judge(step);
        System.out.printf("ramp step %d/%d at %,.0f/s: %s%n", judged + 1, plan.levels(), step.offeredRate(),
            failed.map(r -> "FAILED, " + r + ": stopping the ramp").orElse(String.format(
                "passed (p99 %s, errors %.2f %%)", LoadSummary.millis(step.p99Micros()), step.errorRatio() * 100)));
        if (failed.isPresent()) {
          run.stop(String.format("ramp step at %,.0f/s failed: %s", step.offeredRate(), failed.get()));
        }
        judged++;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Step {@code level} (from 0, after the warm-up) as recorded so far. */
  static KneeFinder.Step step(TimeSeriesRecorder recorder, RampPlan plan, int warmupSeconds, int level) {
    int stepSeconds = (int) plan.stepDuration().toSeconds();
    int from = warmupSeconds + level * stepSeconds;
    TimeSeriesRecorder.Window w = recorder.window(from, from + stepSeconds);
    return new KneeFinder.Step(plan.rates().get(level), stepSeconds, w.sent(), w.ok(), w.ko(), w.pending(),
        w.percentileMicros(99));
  }

  /** Every step that started, as recorded at the end of the run. */
  static List<KneeFinder.Step> steps(TimeSeriesRecorder recorder, RampPlan plan, int warmupSeconds) {
    List<KneeFinder.Step> steps = new ArrayList<>();
    int stepSeconds = (int) plan.stepDuration().toSeconds();
    for (int level = 0; level < plan.levels(); level++) {
      int from = warmupSeconds + level * stepSeconds;
      if (recorder.window(from, from + stepSeconds).sent() == 0) {
        break;
      }
      steps.add(step(recorder, plan, warmupSeconds, level));
    }
    return steps;
  }
}
