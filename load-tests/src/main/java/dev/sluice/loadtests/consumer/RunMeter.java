package dev.sluice.loadtests.consumer;

import dev.sluice.loadtests.consumer.SteadyWindow.Steady;
import dev.sluice.loadtests.harness.Progress;
import dev.sluice.loadtests.method.Estimate;
import dev.sluice.quarantine.consumer.QuarantiningConsumer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Times one consumer reading its topic to the end: deploys it, waits (bounded by the phase limit) until it has done
 * what was expected, printing a line a second, then undeploys it. The rate runs from the first record handed to the
 * handler to the last, so the group join before it does not count.
 */
public final class RunMeter {
  /**
   * One consumer reading its topic to the end.
   *
   * @param steady the run's {@link SteadyWindow}, or {@link Steady#NONE} when it ended before its upper threshold
   */
  public record Run(String label, long records, double seconds, boolean complete, Steady steady) {
    /** A run timed as a whole only. */
    public Run(String label, long records, double seconds, boolean complete) {
      this(label, records, seconds, complete, Steady.NONE);
    }

    /** Records a second from the first record handed over to the last. */
    public double rate() {
      return seconds <= 0 ? 0 : records / seconds;
    }

    /** Records a second in the run's steady window; the whole run's rate when it has none. */
    public double steadyRate() {
      return steady.measured() ? steady.rate() : rate();
    }
  }

  /** Work done after the consumer finished and before it is undeployed (unmeasured), e.g. awaiting a hand-off. */
  @FunctionalInterface
  public interface AfterRun {
    AfterRun NOTHING = () -> {};

    void run() throws Exception;
  }

  private final Vertx vertx;
  private final Duration phaseLimit;
  private final Progress progress;

  public RunMeter(Vertx vertx, Duration phaseLimit, Progress progress) {
    this.vertx = vertx;
    this.phaseLimit = phaseLimit;
    this.progress = progress;
  }

  /** The wrapper as a verticle, so that it is deployed and measured like the bare consumer. */
  public static VerticleBase verticle(QuarantiningConsumer consumer) {
    return new VerticleBase() {
      @Override
      public Future<?> start() {
        return consumer.start();
      }

      @Override
      public Future<?> stop() {
        return consumer.stop();
      }
    };
  }

  public Run measure(String label, VerticleBase verticle, CountingHandler counter, LongSupplier done, long expected)
      throws Exception {
    return measure(label, verticle, counter, done, expected, AfterRun.NOTHING);
  }

  /**
   * The clock starts at the handler's first call when there is a counting handler, otherwise at the first progress
   * seen; it stops when {@code done} reaches {@code expected}, before {@code after} runs.
   */
  public Run measure(String label, VerticleBase verticle, CountingHandler counter, LongSupplier done, long expected,
      AfterRun after) throws Exception {
    long deployed = System.nanoTime();
    String id = vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    long deadline = deployed + phaseLimit.toNanos();
    long firstSeen = 0;
    long nextTick = deployed + 1_000_000_000L;
    long last = 0;
    long now = System.nanoTime();
    long count = done.getAsLong();
    SteadyWindow window = new SteadyWindow(expected);
    while (count < expected && now < deadline) {
      TimeUnit.MILLISECONDS.sleep(2);
      now = System.nanoTime();
      count = done.getAsLong();
      window.sample(now, count);
      if (firstSeen == 0 && count > 0) {
        firstSeen = now;
      }
      if (now >= nextTick) {
        progress.note(String.format("%s: %,d / %,d (+%,d)", label, count, expected, count - last));
        last = count;
        nextTick += 1_000_000_000L;
      }
    }
    long end = now;
    boolean complete = count >= expected;
    try {
      if (complete) {
        after.run();
      }
    } finally {
      vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    long start = counter != null && counter.firstNanos() != 0 ? counter.firstNanos() : firstSeen;
    double seconds = start == 0 ? 0 : (end - start) / 1e9;
    Run run = new Run(label, count, seconds, complete, window.steady());
    progress.done(String.format("%s: %,d records in %.2f s = %,.0f/s%s (%.1f s with group join; steady %s)", label,
        count, seconds, run.rate(), complete ? "" : " INCOMPLETE", (end - deployed) / 1e9,
        run.steady().measured() ? String.format("%,.0f/s", run.steadyRate()) : "not reached"));
    return run;
  }

  /** The run of median rate (the upper one of an even count). */
  public static Run median(List<Run> runs) {
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(Run::rate));
    return sorted.get(sorted.size() / 2);
  }

  /** The rounds' ratios, {@code measured[i] / baseline[i]}, as an {@link Estimate}: their median and spread. */
  public static Estimate pairs(List<Run> measured, List<Run> baseline) {
    return Estimate.ofPairs(measured.stream().map(Run::rate).toList(), baseline.stream().map(Run::rate).toList());
  }

  /** Every round's ratio, {@code measured[i] / baseline[i]}, in the order run: "(0.99 / 0.96 / 1.92)". */
  public static String ratios(List<Run> measured, List<Run> baseline) {
    return Arrays.stream(roundRatios(measured, baseline)).mapToObj(r -> String.format("%.2f", r))
        .collect(Collectors.joining(" / ", "(", ")"));
  }

  private static double[] roundRatios(List<Run> measured, List<Run> baseline) {
    if (measured.size() != baseline.size()) {
      throw new IllegalArgumentException("rounds of " + measured.size() + " and " + baseline.size() + " runs");
    }
    double[] ratios = new double[measured.size()];
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = baseline.get(i).rate() <= 0 ? 0 : measured.get(i).rate() / baseline.get(i).rate();
    }
    return ratios;
  }

  public static String rate(Run run) {
    return String.format("%,.0f events/s", run.rate());
  }

  /** Every run's rate, in the order run: "(120,000 / 98,000 / 131,000)". */
  public static String rates(List<Run> runs) {
    return runs.stream().map(r -> String.format("%,.0f", r.rate())).collect(Collectors.joining(" / ", "(", ")"));
  }

  public static String verdictSuffix(Run run) {
    return run.complete() ? "" : String.format(" (incomplete: %,d read)", run.records());
  }
}
