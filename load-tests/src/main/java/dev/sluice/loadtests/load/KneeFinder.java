package dev.sluice.loadtests.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges the steps of a ramp and finds the knee: the highest offered rate whose step met every threshold, provided
 * every step below it met them too (the ramp stops at the first failing step, so nothing above it counts).
 */
public final class KneeFinder {
  /** A step falls short when the generator started fewer than this share of the requests it was due to start. */
  static final double MIN_SENT_SHARE = 0.9;

  /**
   * What one step measured.
   *
   * @param offeredRate the step's rate, requests/s
   * @param seconds how long the step lasted
   * @param sent requests started in the step
   * @param ok answered as expected
   * @param ko answered otherwise or failed
   * @param pending started but still unanswered when judged (counted as errors and as slower than the threshold)
   * @param p99Micros p99 over answered and pending requests ({@code Long.MAX_VALUE} when among the pending)
   */
  public record Step(double offeredRate, double seconds, long sent, long ok, long ko, long pending, long p99Micros) {
    public double errorRatio() {
      return sent == 0 ? 0 : (double) (ko + pending) / sent;
    }

    public double achievedRate() {
      return seconds <= 0 ? 0 : ok / seconds;
    }
  }

  /** A step and its verdict; {@code reason} is empty when it passed. */
  public record Verdict(Step step, Optional<String> reason) {
    public boolean passed() {
      return reason.isEmpty();
    }
  }

  /**
   * @param knee the highest rate of the unbroken run of passing steps from the first; empty when the first failed
   * @param firstFailure the step that broke the ramp, if any did
   * @param verdicts every step judged, in order
   */
  public record Result(Optional<Step> knee, Optional<Verdict> firstFailure, List<Verdict> verdicts) {}

  private final RampPlan plan;

  public KneeFinder(RampPlan plan) {
    this.plan = plan;
  }

  /** Why {@code step} fails the plan's thresholds, or empty when it passes. */
  public Optional<String> judge(Step step) {
    if (step.sent() == 0) {
      return Optional.of("nothing was sent");
    }
    double due = step.offeredRate() * step.seconds();
    if (step.sent() < MIN_SENT_SHARE * due) {
      return Optional.of(String.format("the generator started only %,d of %,.0f requests (it cannot keep up, the "
          + "figures above this are the generator's limit)", step.sent(), due));
    }
    if (step.errorRatio() > plan.maxErrorRatio()) {
      return Optional.of(String.format("errors %.2f %% > %.2f %% (%,d failed, %,d unanswered of %,d)",
          step.errorRatio() * 100, plan.maxErrorRatio() * 100, step.ko(), step.pending(), step.sent()));
    }
    long limit = plan.maxP99().toNanos() / 1000;
    if (step.p99Micros() > limit) {
      return Optional.of(String.format("p99 %s > %s", LoadSummary.millis(step.p99Micros()),
          LoadSummary.millis(limit)));
    }
    return Optional.empty();
  }

  public Result find(List<Step> steps) {
    List<Verdict> verdicts = new ArrayList<>();
    Step knee = null;
    Verdict failure = null;
    for (Step s : steps) {
      Verdict v = new Verdict(s, judge(s));
      verdicts.add(v);
      if (failure == null) {
        if (v.passed()) {
          knee = s;
        } else {
          failure = v;
        }
      }
    }
    return new Result(Optional.ofNullable(knee), Optional.ofNullable(failure), List.copyOf(verdicts));
  }
}
