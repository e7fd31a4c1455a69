package dev.sluice.loadtests.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of {@code ./sluice bench}.
 *
 * @param quick shorter phases everywhere ({@code --quick}): a smoke check of every ratio in a few minutes, noisier
 * @param suites which suites to run ({@code --only ingest,consumer,validation,replay,peers,sealing}; default all)
 * @param out where the table goes as Markdown ({@code --out}; default {@code load-tests/target/bench.md})
 * @param compare earlier runs' {@code bench.json} files to compare instead of running ({@code --compare F...})
 */
public record BenchOptions(boolean quick, Set<Suite> suites, Optional<Path> out, List<Path> compare) {
  public static final String USAGE = """
      usage: ./sluice bench [--quick] [--only ingest,consumer,validation,replay,peers,sealing] [--out FILE]
             ./sluice bench --compare RUN1.json RUN2.json [RUN3.json ...]
        Runs the benchmark suites, each in its own JVM on 127.0.0.1 with embedded engines, then prints one table of
        every ratio they define: the median of its per-pair ratios, their interquartile range, the number of pairs,
        the target and the result. Exit status 1 when a ratio fails, a ratio is above its ceiling (a measurement
        error) or a suite does not finish. The table goes to load-tests/target/bench.md, the ratios as data to
        bench.json beside it.
        --quick   a smoke test: short runs and two rounds (ingest 2 s runs, consumer 200,000 events, JMH 1+2
                  iterations of 1 s, replay 100,000 events, peers 20,000 events per figure, sealing 2 s runs and
                  50,000 events); its figures are shown, not judged
        --only    a comma-separated subset of the suites
        --out     the Markdown table (default load-tests/target/bench.md)
        --compare earlier runs' bench.json files, side by side: whether each judged ratio's median stayed within
                  ±15 % of the median of the runs' medians (exit status 1 when one did not)
      """;

  public BenchOptions {
    if (suites.isEmpty()) {
      throw new IllegalArgumentException("--only names no suite");
    }
    suites = Set.copyOf(suites);
    compare = List.copyOf(compare);
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
    List<Path> compare = new ArrayList<>();
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
        case "--compare" -> {
          while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
            compare.add(Path.of(args[++i]));
          }
          if (compare.size() < 2) {
            throw new IllegalArgumentException("--compare needs at least two bench.json files\n" + USAGE);
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
      }
    }
    return new BenchOptions(quick, suites, out, compare);
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
      case SEALING -> 3;
      case REPLAY -> 4;
      case PEERS -> 5;
    };
  }

  /** The arguments a suite's own main takes for this run. */
  public List<String> suiteArgs(Suite s) {
    return switch (s) {
      case INGEST -> quick ? List.of("--quick") : List.of();
      case CONSUMER -> quick ? List.of("--quick") : List.of();
      case VALIDATION -> quick ? List.of("--quick") : List.of();
      case REPLAY -> quick ? List.of("--quick") : List.of();
      case PEERS -> quick ? List.of("--quick") : List.of();
      case SEALING -> quick ? List.of("--quick") : List.of();
    };
  }

  private static String value(String[] args, int i) {
    if (i + 1 >= args.length) {
      throw new IllegalArgumentException(args[i] + " needs a value\n" + USAGE);
    }
    return args[i + 1];
  }
}
