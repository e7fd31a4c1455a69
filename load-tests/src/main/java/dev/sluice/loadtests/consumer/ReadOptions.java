package dev.sluice.loadtests.consumer;

import java.time.Duration;

/**
 * The command line of a benchmark that lets consumers read a pre-filled topic: {@code [--events N]
 * [--phase-limit-s S]}.
 *
 * @param events records per measured figure
 * @param phaseLimit how long one consumer may take to read them; after it, the run counts what it read, as incomplete
 */
public record ReadOptions(int events, Duration phaseLimit) {
  private static final int MIN_EVENTS = 100;

  public ReadOptions {
    if (events < MIN_EVENTS) {
      throw new IllegalArgumentException("--events must be at least " + MIN_EVENTS);
    }
  }

  /** @throws IllegalArgumentException naming what is wrong, with the usage */
  public static ReadOptions parse(String[] args, ReadOptions defaults, String program) {
    int events = defaults.events();
    long limitSeconds = defaults.phaseLimit().toSeconds();
    String usage = "usage: " + program + " [--events N] [--phase-limit-s S]";
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--events" -> events = Integer.parseInt(args[++i]);
          case "--phase-limit-s" -> limitSeconds = Long.parseLong(args[++i]);
          default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + usage);
        }
      }
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("bad or missing number\n" + usage);
    }
    return new ReadOptions(events, Duration.ofSeconds(limitSeconds));
  }
}
