package dev.sluice.loadtests.bench;

import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.report.Ratio;
import dev.sluice.loadtests.ValidationBenchmark;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The JMH {@link ValidationBenchmark} through JMH's Runner API, in full or in a short mode. */
final class ValidationSuite {
  private ValidationSuite() {}

  static List<Ratio> ratios(boolean quick, PrintStream out) throws Exception {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(ValidationBenchmark.class.getName() + "\\.")
        .forks(1);
    if (quick) {
      options.warmupIterations(1).warmupTime(TimeValue.seconds(1))
          .measurementIterations(2).measurementTime(TimeValue.seconds(1));
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    List<Ratio> ratios = new ArrayList<>();
    for (RunResult r : results) {
      String method = r.getParams().getBenchmark();
      method = method.substring(method.lastIndexOf('.') + 1);
      double error = r.getPrimaryResult().getScoreError();
      // The measured iterations as samples: their median and spread, as every other suite reports (JMH's own
      // warm-up iterations come first and do not count).
      List<Double> iterations = new ArrayList<>();
      r.getBenchmarkResults().forEach(b -> b.getIterationResults()
          .forEach(i -> iterations.add(i.getPrimaryResult().getScore())));
      // JMH gives no error bound for fewer than three measurement iterations (the --quick mode).
      ratios.add(Ratio.reported("validation", "JMH ValidationBenchmark." + method + ", ops/s",
          Estimate.of(iterations), String.format("mean %,.0f%s, one thread, %d iterations",
              r.getPrimaryResult().getScore(), Double.isFinite(error) ? String.format(" ± %,.0f (99.9 %%)", error)
                  : "", iterations.size())));
    }
    ratios.sort((a, b) -> b.name().compareTo(a.name())); // validProduct first
    out.printf("validation: %d JMH results%n", ratios.size());
    return ratios;
  }
}
