package dev.sluice.loadtests.consumer;

import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.method.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * A figure a trial notes beside the rate it returns (a poison run's quarantine writes per second, say), one per run of
 * its variant, warm-ups included. {@link dev.sluice.loadtests.method.Rounds} runs every variant's warm-ups before the
 * first round, so the variant's measured runs are its last {@link Plan#rounds()}.
 */
public final class PerRun {
  private final List<Double> values = new ArrayList<>();

  public void add(double value) {
    values.add(value);
  }

  /** Every run's figure, warm-ups first, in the order run. */
  public List<Double> all() {
    return List.copyOf(values);
  }

  /** The measured runs' figures (the last {@code plan.rounds()}), their median and spread. */
  public Estimate measured(Plan plan) {
    if (values.size() < plan.rounds()) {
      throw new IllegalStateException(values.size() + " runs noted, fewer than the plan's " + plan.rounds()
          + " rounds");
    }
    return Estimate.of(values.subList(values.size() - plan.rounds(), values.size()));
  }
}
