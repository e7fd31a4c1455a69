package dev.sluice.loadtests.bench;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of {@code ./sluice bench}.
 *
 * @param quick shorter phases everywhere ({@code --quick}): a smoke check of every ratio in a few minutes, noisier
 * @param suites which suites to run ({@code --only ingest,consumer,validation,replay,peers}; default all)
 * @param out where the table goes as Markdown ({@code --out}; default {@code load-tests/target/bench.md})
 */
public record BenchOptions(boolean quick, Set<Suite> suites, Optional<Path> out) {
  public static final String USAGE = """
      usage: ./sluice bench [--quick] [--only ingest,consumer,validation,replay,peers] [--out FILE]
        Runs the benchmark suites, each in its own JVM on 127.0.0.1 with embedded engines, then prints one table of
        every ratio they define, with its target and pass/fail. Exit status 1 when a ratio fails or a suite does not
        finish.
        --quick   short phases (ingest 1 s warm-up + 3 s per phase, consumer 10,000 events, JMH 1+2 iterations of 1 s,
                  replay 100,000 events instead of 1,000,000, peers 20,000 events per figure
                  instead of 100,000 to 200,000)
        --only    a comma-separated subset of the suites
        --out     the Markdown table (default load-tests/target/bench.md)
      """;

  public BenchOptions {
    if (suites.isEmpty()) {
      throw new IllegalArgumentException("--only names no suite");
    }
    suites = Set.copyOf(suites);
  }

  /** Whether the command line asks for the usage ({@code -h} or {@code --help} anywhere): printed, status 0. */
  public static boolean wantsHelp(String[] args) {
    return java.util.Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h"));
  }

  /** @throws IllegalArgumentException with a message for the user, or the usage for {@code --help} */
  public static BenchOptions parse(String[] args) {
    boolean quick = false;
    Set<Suite> suites = EnumSet.allOf(Suite.class);
    Optional<Path> out = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
        case "--quick" -> quick = true;
        case "--only" -> {
          suites = EnumSet.noneOf(Suite.class);
          for (String name : value(args, i++).split(",")) {
            if (!name.isBlank()) {
              suites.add(Suite.parse(name));
            }
          }
        }
        case "--out" -> out = Optional.of(Path.of(value(args, i++)));
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
      }
    }
    return new BenchOptions(quick, suites, out);
  }

  /** The suites in the order they run: the fast and quiet one first. */
  public List<Suite> ordered() {
    return List.of(Suite.values()).stream().filter(suites::contains)
        .sorted((a, b) -> Integer.compare(order(a), order(b))).toList();
  }

  private static int order(Suite s) {
    return switch (s) {
      case VALIDATION -> 0;
      case INGEST -> 1;
      case CONSUMER -> 2;
      case REPLAY -> 3;
      case PEERS -> 4;
    };
  }

  /** The arguments a suite's own main takes for this run. */
  public List<String> suiteArgs(Suite s) {
    return switch (s) {
      case INGEST -> quick ? List.of("--phase-seconds", "3", "--warmup-seconds", "1") : List.of();
      case CONSUMER -> quick ? List.of("--events", "10000", "--phase-limit-s", "60") : List.of();
      case VALIDATION -> quick ? List.of("--quick") : List.of();
      case REPLAY -> quick ? List.of("--events", "100000", "--phase-limit-s", "120") : List.of();
      case PEERS -> quick ? List.of("--quick") : List.of();
    };
  }

  private static String value(String[] args, int i) {
    if (i + 1 >= args.length) {
      throw new IllegalArgumentException(args[i] + " needs a value\n" + USAGE);
    }
    return args[i + 1];
  }
}
