package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.method.Plan;
import java.time.Duration;
import java.util.Arrays;

/**
 * The command line of the peers benchmark: {@code [--quick] [--io-events N] [--ordered-events N] [--events N]
 * [--rounds N] [--run-limit-s S] [--only-figure poison]}. {@code --quick} picks smaller defaults and makes the run a
 * smoke test whose figures are not judged; the other options override either set. {@code --only-figure poison} runs
 * only the wrapper's clean run (3) and its 10 % poison run with the quarantine log (2), interleaved by the same method
 * as in the full suite: for profiling and comparing changes to the poison path, not a run of the suite.
 *
 * @param quick a smoke test ({@code --quick}): {@link Plan#quick()}'s single warm-up, its figures shown, not judged
 * @param ioEvents records of the I/O-bound figure (10,000 distinct keys, 3 partitions); the wrapper with its lower
 *     bound reads the first {@link #boundedEvents()}
 * @param orderedEvents how many of them the strictly ordered wrapper is timed over: at 2 ms per event and one event per
 *     partition at a time it manages about 1,500 events/s, so reading them all would take minutes
 * @param events records of the 10 % poison figure the wrapper without the log reads ({@link #logEvents()} with the
 *     quarantine log); the happy path reads
 *     {@link #happyEvents()}, the parked keys {@link #parkedEvents()}, Spring Kafka
 *     {@link #springEvents()}
 * @param rounds how many times the compared variants run, interleaved (A B, B A, ...) once warmed up; the figures are
 *     the medians of the rounds' ratios
 * @param runLimit the longest one consumer run may take; a run stopped by it counts what it read, marked incomplete
 * @param onlyPoison {@code --only-figure poison}: only the wrapper clean (3) and with poison and the log (2)
 */
public record PeersOptions(boolean quick, int ioEvents, int orderedEvents, int events, int rounds,
    Duration runLimit, boolean onlyPoison) {
  public static final PeersOptions FULL = new PeersOptions(false, 200_000, 5_000, 100_000, Plan.full().rounds(),
      Duration.ofSeconds(60), false);
  public static final PeersOptions QUICK = new PeersOptions(true, 20_000, 2_000, 20_000, Plan.quick().rounds(),
      Duration.ofSeconds(30), false);
  /**
   * How many times {@code events} the wrapper with the quarantine log reads in (2): it runs at about 90,000 events/s,
   * so 100,000 records took a second, and a second's run moved by a GC or a fetch (57,000 to 150,000 events/s in one
   * run's rounds). The wrapper without the log and Spring Kafka read the first {@code events} and
   * {@link #springEvents()} of the same topic.
   */
  static final int LOG_FACTOR = 3;
  /**
   * Which share of {@code ioEvents} the wrapper with {@link SluiceRunner#BOUNDED} reads: it manages about 11,000
   * events/s, so all 200,000 would take 18 seconds a run; a quarter takes four and a half, its rate that steady.
   */
  static final int BOUNDED_DIVISOR = 4;
  /** How many times {@code events} the happy path reads: it runs at 100,000s a second, so fewer take too short. */
  static final int HAPPY_FACTOR = 5;
  /**
   * How many times {@code events} the parked-keys figure reads: with the 2 ms handler and 768 in flight it runs at
   * over 100,000 a second, and its start (the open items loaded per partition) must be a small share of a run.
   */
  static final int PARKED_FACTOR = 3;
  /**
   * Which share of {@code events} Spring Kafka reads: it waits for each dead-letter send, about 2,000 events/s here,
   * so all of them would take close to a minute a run; a fifth still takes seconds, and its rate is that steady.
   */
  static final int SPRING_DIVISOR = 5;

  private static final int MIN_EVENTS = 1_000;
  private static final String USAGE = "usage: peers [--quick] [--io-events N] [--ordered-events N] [--events N]"
      + " [--rounds N] [--run-limit-s S] [--only-figure poison]";

  public PeersOptions {
    if (ioEvents < MIN_EVENTS || events < MIN_EVENTS || orderedEvents < MIN_EVENTS / 10) {
      throw new IllegalArgumentException("--io-events and --events must be at least " + MIN_EVENTS
          + ", --ordered-events at least " + MIN_EVENTS / 10 + "\n" + USAGE);
    }
    if (orderedEvents > ioEvents) {
      throw new IllegalArgumentException("--ordered-events cannot exceed --io-events\n" + USAGE);
    }
    if (rounds < 1 || rounds > 15) {
      throw new IllegalArgumentException("--rounds must be 1..15\n" + USAGE);
    }
    if (runLimit.toSeconds() < 5) {
      throw new IllegalArgumentException("--run-limit-s must be at least 5\n" + USAGE);
    }
  }

  /** How many of the I/O-bound topic's records the wrapper with {@link SluiceRunner#BOUNDED} is timed over. */
  public int boundedEvents() {
    return ioEvents / BOUNDED_DIVISOR;
  }

  /** Records of the 10 % poison topic, all read by the wrapper with the quarantine log. */
  public int logEvents() {
    return events * LOG_FACTOR;
  }

  /** Records of the happy-path figure (no I/O, no poison). */
  public int happyEvents() {
    return events * HAPPY_FACTOR;
  }

  /** Records of the parked-keys figure, on each side. */
  public int parkedEvents() {
    return events * PARKED_FACTOR;
  }

  /** How many of the 10 % poison topic's records Spring Kafka is timed over (the first ones). */
  public int springEvents() {
    return events / SPRING_DIVISOR;
  }

  /** How the figures are measured: the quick or full plan, with these rounds. */
  public Plan plan() {
    return Plan.of(quick).withRounds(rounds);
  }

  /** @throws IllegalArgumentException naming what is wrong, with the usage */
  public static PeersOptions parse(String[] args) {
    boolean quick = Arrays.asList(args).contains("--quick");
    PeersOptions d = quick ? QUICK : FULL;
    int ioEvents = d.ioEvents();
    int orderedEvents = d.orderedEvents();
    int events = d.events();
    int rounds = d.rounds();
    long limitSeconds = d.runLimit().toSeconds();
    boolean onlyPoison = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--quick" -> { }
          case "--io-events" -> ioEvents = Integer.parseInt(args[++i]);
          case "--ordered-events" -> orderedEvents = Integer.parseInt(args[++i]);
          case "--events" -> events = Integer.parseInt(args[++i]);
          case "--rounds" -> rounds = Integer.parseInt(args[++i]);
          case "--run-limit-s" -> limitSeconds = Long.parseLong(args[++i]);
          case "--only-figure" -> {
            if (!"poison".equals(args[++i])) {
              throw new IllegalArgumentException("--only-figure takes poison\n" + USAGE);
            }
            onlyPoison = true;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
        }
      }
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("bad or missing number\n" + USAGE);
    }
    return new PeersOptions(quick, ioEvents, Math.min(orderedEvents, ioEvents), events, rounds,
        Duration.ofSeconds(limitSeconds), onlyPoison);
  }
}
