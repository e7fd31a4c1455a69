package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.RunMeter.Run;
import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.method.Results;
import dev.sluice.loadtests.method.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/**
 * One variant of a peers figure as the shared method's {@link Trial}: each run is one consumer over its topic, in a
 * fresh group, and its {@link Run} is kept, warm-ups included, so that the report can say which measured runs the run
 * limit stopped.
 */
final class TimedVariant implements Trial {
  private final String name;
  private final Callable<Run> once;
  private final ToDoubleFunction<Run> rating;
  private final List<Run> runs = new ArrayList<>();

  /** A variant rated on each whole run, first record to last. @param once makes, deploys and times one consumer */
  TimedVariant(String name, Callable<Run> once) {
    this(name, once, Run::rate);
  }

  private TimedVariant(String name, Callable<Run> once, ToDoubleFunction<Run> rating) {
    this.name = name;
    this.once = once;
    this.rating = rating;
  }

  /**
   * A variant rated on each run's steady window ({@link dev.sluice.loadtests.consumer.SteadyWindow}): for handlers
   * that wait, where the drain at the end of a finite topic is long and varies from run to run.
   */
  static TimedVariant steady(String name, Callable<Run> once) {
    return new TimedVariant(name, once, Run::steadyRate);
  }

  String name() {
    return name;
  }

  @Override
  public double run() throws Exception {
    Run run = once.call();
    runs.add(run);
    return rating.applyAsDouble(run);
  }

  /** The measured runs, in order: every run after the variant's warm-ups. */
  List<Run> measured(Results results) {
    int warmups = results.warmups().get(name).rates().size();
    return List.copyOf(runs.subList(warmups, runs.size()));
  }

  /** "246,086 events/s (IQR 231,916–250,297, 5 runs) (…)", and which runs the run limit stopped. */
  String rateText(Results results) {
    Estimate rate = results.rate(name);
    return rate.describe("runs") + " events/s " + rate.samplesText() + incomplete(measured(results));
  }

  /** A note on the runs the run limit stopped before they read what was expected: their rate covers what they read. */
  static String incomplete(List<Run> runs) {
    long stopped = runs.stream().filter(r -> !r.complete()).count();
    return stopped == 0 ? "" : String.format("; %d of %d runs stopped by the run limit, rated on what they read",
        stopped, runs.size());
  }
}
