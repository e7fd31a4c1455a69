package dev.sluice.loadtests.sealing;

import dev.sluice.loadtests.method.Plan;
import java.time.Duration;
import java.util.Arrays;

/**
 * The sealing suite's command line: {@code [--quick] [--rounds N] [--run-seconds N] [--subjects N] [--read-events N]
 * [--cold-events N]}. {@code --quick} starts from the smoke-test sizes and {@link Plan#quick()}; the other options
 * override either, wherever they stand on the line.
 *
 * @param plan how every part is warmed up, interleaved and judged
 * @param run the measured part of each batch-ingest run (after a {@link #ramp()}): 4 s, 2 s quick
 * @param subjects the distinct data subjects of the warm figures, each with its key made and cached before timing
 * @param readEvents records per consumer run, per topic (sealed and plain)
 * @param coldEvents events per run of the cold-cost figures, each posted alone, one after the other
 * @param phaseLimit how long one consumer run may take; after it the run counts what it read, as incomplete
 */
public record SealingOptions(Plan plan, Duration run, int subjects, int readEvents, int coldEvents,
    Duration phaseLimit) {
  public static final String USAGE = """
      usage: SealingBenchmark [--quick] [--rounds N] [--run-seconds N] [--subjects N] [--read-events N]
                              [--cold-events N]
        --quick         a smoke test: 2 rounds, 1 warm-up run, short runs; figures shown, not judged
        --rounds        interleaved rounds of each part (default 6, quick 2)
        --run-seconds   measured seconds of each batch-ingest run (default 4, quick 2)
        --subjects      distinct data subjects, keys made and cached before timing (default 10000)
        --read-events   records per consumer run (default 300000, quick 50000)
        --cold-events   events posted one after the other per cold-cost run (default 120, quick 40)
      """;
  /** Events per batch request, as the ingest suite's batches. */
  public static final int BATCH_SIZE = 100;
  /** Keep-alive connections for batch ingest, as the ingest suite's (4 left the cores partly idle there). */
  public static final int BATCH_CONNECTIONS = 16;
  /** Size of each event's data before sealing: about 1 KB. */
  public static final int EVENT_BYTES = 1024;
  /** The documented dev keys of a gateway started with its defaults. */
  public static final String PRODUCER_KEY = "dev-producer";
  public static final String ADMIN_KEY = "dev-admin";

  // 300,000 records per consumer run: at 100,000 the unsealed wrapper's runs lasted 1.1 to 1.5 s, so one GC more or
  // less moved a run by 10 % or more and the consumer ratio's spread was too wide to judge.
  static final SealingOptions FULL = new SealingOptions(Plan.full(), Duration.ofSeconds(4), 10_000, 300_000, 120,
      Duration.ofSeconds(120));
  static final SealingOptions QUICK = new SealingOptions(Plan.quick(), Duration.ofSeconds(2), 10_000, 50_000, 40,
      Duration.ofSeconds(60));

  public SealingOptions {
    if (run.isNegative() || run.isZero() || subjects < 1 || readEvents < 100 || coldEvents < 1) {
      throw new IllegalArgumentException("--run-seconds, --subjects and --cold-events must be at least 1, "
          + "--read-events at least 100\n" + USAGE);
    }
  }

  /** The unmeasured start of each batch-ingest run: the connections fill and the producers batch. */
  public Duration ramp() {
    return plan.smoke() ? Duration.ofMillis(300) : Duration.ofMillis(500);
  }

  /** Whether the command line asks for the usage ({@code -h} or {@code --help} anywhere). */
  public static boolean wantsHelp(String[] args) {
    return Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h"));
  }

  /** @throws IllegalArgumentException naming what is wrong, with the usage */
  public static SealingOptions parse(String[] args) {
    SealingOptions base = Arrays.asList(args).contains("--quick") ? QUICK : FULL;
    Plan plan = base.plan();
    long runSeconds = base.run().toSeconds();
    int subjects = base.subjects();
    int readEvents = base.readEvents();
    int coldEvents = base.coldEvents();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--quick" -> { }
          case "--rounds" -> plan = plan.withRounds(Integer.parseInt(args[++i]));
          case "--run-seconds" -> runSeconds = Long.parseLong(args[++i]);
          case "--subjects" -> subjects = Integer.parseInt(args[++i]);
          case "--read-events" -> readEvents = Integer.parseInt(args[++i]);
          case "--cold-events" -> coldEvents = Integer.parseInt(args[++i]);
          default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
        }
      }
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("bad or missing number\n" + USAGE);
    }
    return new SealingOptions(plan, Duration.ofSeconds(runSeconds), subjects, readEvents, coldEvents,
        base.phaseLimit());
  }
}
