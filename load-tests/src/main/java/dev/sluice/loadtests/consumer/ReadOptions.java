package dev.sluice.loadtests.consumer;

import dev.sluice.loadtests.method.Plan;
import java.time.Duration;

/**
 * The command line of a benchmark that lets consumers read a pre-filled topic: {@code [--quick] [--events N]
 * [--phase-limit-s S] [--rounds N]}.
 *
 * @param events records per measured run
 * @param phaseLimit how long one consumer may take to read them; after it, the run counts what it read, as incomplete
 * @param plan how the runs are warmed up, interleaved and judged ({@link Plan#full()}, or {@link Plan#quick()} with
 *     {@code --quick})
 */
public record ReadOptions(int events, Duration phaseLimit, Plan plan) {
  private static final int MIN_EVENTS = 100;

  public ReadOptions {
    if (events < MIN_EVENTS) {
      throw new IllegalArgumentException("--events must be at least " + MIN_EVENTS);
    }
  }

  /**
   * {@code --quick} starts from {@code quick} instead of {@code full} (a smoke test: its sizes and {@link
   * Plan#quick()}); the other options override either, wherever they stand on the line.
   *
   * @throws IllegalArgumentException naming what is wrong, with the usage
   */
  public static ReadOptions parse(String[] args, ReadOptions full, ReadOptions quick, String program) {
    String usage = "usage: " + program + " [--quick] [--events N] [--phase-limit-s S] [--rounds N]";
    ReadOptions base = java.util.Arrays.asList(args).contains("--quick") ? quick : full;
    int events = base.events();
    long limitSeconds = base.phaseLimit().toSeconds();
    Plan plan = base.plan();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--quick" -> { }
          case "--events" -> events = Integer.parseInt(args[++i]);
          case "--phase-limit-s" -> limitSeconds = Long.parseLong(args[++i]);
          case "--rounds" -> plan = plan.withRounds(Integer.parseInt(args[++i]));
          default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + usage);
        }
      }
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("bad or missing number\n" + usage);
    }
    return new ReadOptions(events, Duration.ofSeconds(limitSeconds), plan);
  }
}
