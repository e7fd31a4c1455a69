package dev.sluice.loadtests.replay;

import static dev.sluice.loadtests.consumer.RunMeter.rate;
import static dev.sluice.loadtests.consumer.RunMeter.rates;
import static dev.sluice.loadtests.consumer.RunMeter.verdictSuffix;

import dev.sluice.loadtests.consumer.BareConsumer;
import dev.sluice.loadtests.consumer.ConsumerBenchmark;
import dev.sluice.loadtests.consumer.Prefill;
import dev.sluice.loadtests.consumer.ReadOptions;
import dev.sluice.loadtests.consumer.RunMeter;
import dev.sluice.loadtests.consumer.RunMeter.Run;
import dev.sluice.loadtests.harness.EmbeddedStack;
import dev.sluice.loadtests.harness.Program;
import dev.sluice.loadtests.ingest.HeapWatch;
import dev.sluice.loadtests.harness.Progress;
import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.report.Ratio;
import dev.sluice.loadtests.report.SuiteReport;
import dev.sluice.loadtests.report.SuiteReport.Verdict;
import dev.sluice.quarantine.consumer.QuarantiningConsumer;
import dev.sluice.quarantine.consumer.Triage;
import dev.sluice.quarantine.replay.Replay;
import dev.sluice.quarantine.replay.ReplayKafka;
import dev.sluice.quarantine.replay.ReplayState;
import dev.sluice.quarantine.replay.ReplayStore;
import dev.sluice.quarantine.store.QuarantineTable;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.VerticleBase;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * How fast a cold-start replay goes through a stream's history, side by side with a bare consumer doing the same work,
 * in one run. It starts Kafka, DynamoDB Local and ElasticMQ embedded on free loopback ports, creates the demo stream's
 * topic (3 partitions, kept forever) and seeds it with {@link History}: 1 KB events of the demo's three types whose
 * times span three years. Then, in alternating rounds, each in a new group over the whole topic:
 *
 * <ul>
 *   <li>the replay: a cold start from {@code earliest} stored and placed as the console does it ({@link ColdStart}),
 *       read by the quarantining wrapper built with {@code .replays(table)}, so every event's replay flag is computed,
 *       into a handler that keeps the catalog view in memory ({@link CatalogMemory});</li>
 *   <li>the baseline: a bare vertx-kafka-client consumer ({@link BareConsumer}) decoding and validating each record as
 *       the wrapper does, into the same handler.</li>
 * </ul>
 *
 * <p>Rates run from the first event handled to the last (the captured end). The median of each side is compared;
 * the live heap is taken after a full GC before and after each run.
 *
 * <pre>
 * ./mvnw -B -q -o -pl load-tests -am package -DskipTests
 * java -cp "load-tests/target/classes:$(cat load-tests/target/classpath.txt)" \
 *     dev.sluice.loadtests.replay.ReplayBenchmark [--events 1000000] [--phase-limit-s 300]
 * </pre>
 *
 * Writes the table to stdout and to {@code load-tests/target/replay-benchmark.md}.
 */
public final class ReplayBenchmark {
  /** The defaults: a million events, each consumer given at most 5 minutes to read them. */
  public static final ReadOptions DEFAULTS = new ReadOptions(1_000_000, Duration.ofSeconds(300));
  static final String SUITE = "replay";
  static final double TARGET = 0.9;
  private static final String STREAM = "retail";
  private static final String REPLAYS = "bench-replays";
  private static final String QUARANTINE = "bench-quarantine";
  private static final int ROUNDS = 5;
  private static final int MAX_WARMUP = 100_000;
  /** How long the replay may take to end DONE once its group has handled everything (it ends on a lane refresh). */
  private static final Duration HAND_OFF_LIMIT = Duration.ofSeconds(60);
  /** The worked example of docs/replay.md: three years of a stream averaging 100 events/s, replayed in one hour. */
  private static final double EXAMPLE_RATE = 100;

  private final ReadOptions options;
  private final Progress progress;

  private ReplayBenchmark(ReadOptions options, PrintStream out) {
    this.options = options;
    this.progress = new Progress(out);
  }

  public static void main(String[] args) throws Exception {
    ReadOptions options = Program.optionsOrExit(args, a -> ReadOptions.parse(a, DEFAULTS, "ReplayBenchmark"));
    new ReplayBenchmark(options, System.out).run().publish(System.out, ReplayBenchmark.class,
        "replay-benchmark.md");
    // Kafka's and DynamoDB Local's leftover non-daemon threads must not keep the JVM alive.
    System.exit(0);
  }

  /** For {@code ./sluice bench}: one run, its table printed to {@code out}; returns its figures. */
  public static List<Ratio> ratios(ReadOptions options, PrintStream out) throws Exception {
    SuiteReport report = new ReplayBenchmark(options, out).run();
    out.println();
    out.println(report.markdown());
    return report.ratios();
  }

  private SuiteReport run() throws Exception {
    try (EmbeddedStack stack = EmbeddedStack.start("sluice-replay-bench", progress)) {
      QuarantineTable.ensure(stack.dynamo(), QUARANTINE);
      ReplayStore.ensure(stack.dynamo(), REPLAYS);
      ReplayKafka kafka = new ReplayKafka(stack.vertx(), Map.of("bootstrap.servers", stack.bootstrap()));
      try {
        return new Bench(stack, kafka).measure();
      } finally {
        Progress.await(kafka.close(), 30);
      }
    }
  }

  /** One side's runs, with the heap around each. */
  private record Side(List<Run> runs, List<HeapWatch.Summary> heaps) {
    Side() {
      this(new ArrayList<>(), new ArrayList<>());
    }

    Run median() {
      return RunMeter.median(runs);
    }

    boolean flat() {
      return heaps.stream().allMatch(HeapWatch.Summary::flat);
    }

    /** "live after full GC, MiB: 120 -> 124, 124 -> 126, ...; heap after each GC at most 400 MiB". */
    String heap() {
      return heaps.stream().map(h -> h.liveBeforeMb() + " → " + h.liveAfterMb())
          .collect(Collectors.joining(", ", "live after a full GC, before → after each run: ", " MiB"))
          + "; after each GC during the runs at most "
          + heaps.stream().mapToLong(h -> h.afterGcMb().max()).max().orElse(-1) + " MiB";
    }
  }

  /** The stack's clients and the measurements made with them. */
  private final class Bench {
    private final EmbeddedStack stack;
    private final RunMeter meter;
    private final ColdStart coldStart;
    private final ReplayStore store;
    private final SchemaRegistry registry = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());
    private final Triage triage = new Triage(registry);
    private final StreamDefinition stream = registry.catalog().stream(STREAM).orElseThrow();
    private final List<Double> handOffs = new ArrayList<>();
    private final List<Long> flagged = new ArrayList<>();
    /** What each full run's view held at its end: the same for every run, or a side skipped or repeated work. */
    private final Set<String> views = new TreeSet<>();
    private int groups;

    Bench(EmbeddedStack stack, ReplayKafka kafka) {
      this.stack = stack;
      this.meter = new RunMeter(stack.vertx(), options.phaseLimit(), progress);
      this.store = new ReplayStore(new WorkerTable(stack.vertx(), stack.dynamo(), REPLAYS, Clock.systemUTC()));
      this.coldStart = new ColdStart(store, kafka);
    }

    SuiteReport measure() throws Exception {
      int events = options.events();
      String topic = stream.topic();
      History history = History.threeYearsUntil(Instant.now().truncatedTo(ChronoUnit.SECONDS), events);
      Prefill prefill = new Prefill(stack.bootstrap());
      // Kept forever, as the demo stream is: with the default retention, three-year-old events would be deleted.
      prefill.createTopics(List.of(topic), stream.partitions(), Map.of("retention.ms", "-1"));
      progress.phase("seed", String.format("%,d events of %s over %d partitions, %s to %s", events, topic,
          stream.partitions(), history.start(), history.start().plus(history.span())));
      Duration seeding = prefill.write(events, i -> history.record(topic, i));
      progress.done(String.format("seeded in %.1f s", seeding.toMillis() / 1e3));

      // Unreported: both sides once over the start of the topic, so neither measured run pays for the JIT alone (a
      // shorter warm-up left the first measured run at a third of the later ones).
      int warmup = Math.min(events, MAX_WARMUP);
      progress.phase("warm-up", "bare and replay over the first " + warmup + " events");
      bare("warm-up bare", warmup);
      replay("warm-up replay", warmup, false);

      // Alternating rounds, each side first in turn, each in a new group over the whole topic: the median of each
      // side is compared, so a run disturbed by other work on this machine (or by a late JIT compile) does not decide
      // the figure, and neither side always profits from the other having warmed the page cache.
      Side bare = new Side();
      Side replay = new Side();
      for (int round = 1; round <= ROUNDS; round++) {
        boolean bareFirst = round % 2 == 1;
        for (int turn = 0; turn < 2; turn++) {
          if ((turn == 0) == bareFirst) {
            progress.phase("bare " + round + "/" + ROUNDS, "vertx-kafka-client consumer, decode + validate + view");
            watched(bare, () -> bare("bare", events));
          } else {
            progress.phase("replay " + round + "/" + ROUNDS, "cold start from earliest, wrapper with .replays()");
            watched(replay, () -> replay("replay", events, true));
          }
        }
      }
      return report(history, bare, replay);
    }

    private SuiteReport report(History history, Side bare, Side replay) {
      Run b = bare.median();
      Run r = replay.median();
      Estimate ratio = RunMeter.pairs(replay.runs(), bare.runs());
      double multiple = Pace.multipleOfRealTime(history.span(), r.seconds());
      double bareMultiple = Pace.multipleOfRealTime(history.span(), b.seconds());
      double perPartition = r.rate() / stream.partitions();
      double needed = Pace.neededRate(EXAMPLE_RATE, History.THREE_YEARS, Duration.ofHours(1));

      SuiteReport report = new SuiteReport(SUITE, "Replay benchmark", false);
      report.setting(String.format("%,d events of the demo stream (%d types, %d bytes of data each, valid), times "
              + "spread evenly over %d days, topic of %d partitions; each run in a new group over the whole topic",
          history.count(), 3, History.DATA_BYTES, history.span().toDays(), stream.partitions()));
      report.setting("both sides: max.poll.records " + ConsumerBenchmark.MAX_POLL_RECORDS + ", the same handler "
          + "(parse the data, update an in-memory catalog view); engines embedded in this JVM ("
          + Runtime.getRuntime().availableProcessors() + " CPUs)");
      report.setting("rate = events / time from the first event handled to the last (group join excluded); " + ROUNDS
          + " rounds, each a bare run and a replay run back to back, the side that goes first alternating; ratio = the "
          + "median of the rounds' ratios, rates = each side's median");
      report.row("(a) bare vertx-kafka-client consumer + per-record decode and schema validation + the handler",
          rate(b) + " " + rates(bare.runs()) + verdictSuffix(b), "", "baseline",
          b.complete() ? Verdict.BASELINE : Verdict.NOT_MEASURED);
      report.atLeast("replay through the wrapper (cold start, .replays(), flag computed) vs (a)",
          rate(r) + " " + rates(replay.runs()) + verdictSuffix(r) + "; per round "
              + RunMeter.ratios(replay.runs(), bare.runs()), ratio, TARGET);
      report.reported("replay speed, multiple of real time (event time covered / wall-clock time)",
          String.format("%,.0f× (%d days in %.1f s; the baseline %,.0f×)", multiple, history.span().toDays(),
              r.seconds(), bareMultiple), multiple);
      report.row("replay flag: events flagged as replayed / handled, per run", flagged.stream()
          .map(f -> String.format("%,d", f)).collect(Collectors.joining(" / ")) + String.format(" of %,d",
          history.count()), "", "all", Verdict.of(flagged.stream().allMatch(f -> f == history.count())));
      report.row("hand-off: replay DONE after the last event was handled", handOffs.stream()
          .map(s -> String.format("%.1f s", s)).collect(Collectors.joining(" / ")), "", "within a lane refresh (5 s) "
          + "plus a commit (1 s)", Verdict.REPORTED);
      report.row("the view each run built (both sides)", String.join("; ", views), "", "the same",
          Verdict.of(views.size() == 1));
      report.row("heap, replay runs", replay.heap(), "", "flat", Verdict.of(replay.flat()));
      report.row("heap, bare runs", bare.heap(), "", "flat", Verdict.of(bare.flat()));
      if (perPartition > 0) {
        // A denser stream covers less event time per event: its multiple is the rate over its own average rate.
        double denseMultiple = r.rate() / EXAMPLE_RATE;
        report.row("three years of a stream averaging 100 events/s", String.format("at this rate: %,.0f× real time, "
                + "%.1f h; in one hour: %,.0f events/s = %,d partitions, each with an instance of its own, at this "
                + "run's %,.0f events/s per partition", denseMultiple,
            History.THREE_YEARS.toSeconds() / denseMultiple / 3600, needed, Pace.partitionsFor(needed, perPartition),
            perPartition), "", "", Verdict.REPORTED);
      }
      report.note("the heap is the whole JVM's (Kafka broker, DynamoDB Local, ElasticMQ and the consumer); flat = "
          + "the live heap after a run is within max(32 MiB, 25 %) of the one before it");
      report.note("per partition = the replay's rate / " + stream.partitions() + ": one instance read all "
          + stream.partitions() + " partitions on this machine's shared cores, so it is a floor, not a partition's "
          + "own limit");
      if (!(b.complete() && r.complete())) {
        report.note("**a run did not read its whole topic within " + options.phaseLimit().toSeconds()
            + " s: its rate covers only what it read**");
      }
      return report;
    }

    private interface Measured {
      Run run() throws Exception;
    }

    /** Runs {@code measured} between two full GCs, noting the live heap before and after it. */
    private void watched(Side side, Measured measured) throws Exception {
      HeapWatch heap = HeapWatch.start();
      Run run;
      try {
        run = measured.run();
      } catch (Exception e) {
        heap.close();
        throw e;
      }
      side.runs().add(run);
      side.heaps().add(heap.stop());
    }

    private Run bare(String label, int expected) throws Exception {
      String group = nextGroup();
      CatalogMemory view = new CatalogMemory();
      VerticleBase consumer = BareConsumer.verticle(stack.vertx(), stack.bootstrap(), group, stream.topic(),
          ConsumerBenchmark.MAX_POLL_RECORDS,
          record -> BareConsumer.decoded(triage, group, record).ifPresent(view::handle));
      return viewed(view, expected, meter.measure(label, consumer, view.counter(), view::handled, expected));
    }

    /** Notes what a run over the whole topic left in its view. */
    private Run viewed(CatalogMemory view, int expected, Run run) {
      if (expected == options.events()) {
        views.add(String.format("%,d products, %,d photographers, %,d photos", view.products(),
            view.photographers(), view.photos()));
      }
      return run;
    }

    /**
     * A cold-start replay for a new group, read by the wrapper. When {@code toTheEnd}, the run also waits (unmeasured)
     * for the replay to end DONE, as the wrapper ends it once the group has committed past every captured end.
     */
    private Run replay(String label, int expected, boolean toTheEnd) throws Exception {
      String group = nextGroup();
      Replay started = coldStart.start(STREAM, stream.topic(), group);
      CatalogMemory view = new CatalogMemory();
      QuarantiningConsumer consumer = QuarantiningConsumer.builder(ConsumerBenchmark.config(group, stream.topic()))
          .kafka(Map.of("bootstrap.servers", stack.bootstrap()))
          .store(stack.dynamo(), QUARANTINE)
          .queues(stack.sqs(), "bench")
          .schemas(registry)
          .meters(new SimpleMeterRegistry())
          .replays(REPLAYS)
          .handler(view)
          .build(stack.vertx());
      Run run = meter.measure(label, RunMeter.verticle(consumer), view.counter(), view::handled, expected,
          toTheEnd ? () -> handOffs.add(awaitDone(started)) : RunMeter.AfterRun.NOTHING);
      if (toTheEnd) {
        flagged.add(view.flagged());
      }
      return viewed(view, expected, run);
    }

    /** Seconds until the replay is DONE; fails after {@link #HAND_OFF_LIMIT}. */
    private double awaitDone(Replay replay) throws Exception {
      long t0 = System.nanoTime();
      long deadline = t0 + HAND_OFF_LIMIT.toNanos();
      while (System.nanoTime() < deadline) {
        Replay now = Progress.await(store.get(replay.id()), 30).orElseThrow();
        if (now.state() == ReplayState.DONE) {
          return (System.nanoTime() - t0) / 1e9;
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
      throw new IllegalStateException("replay " + replay.id() + " was not DONE within " + HAND_OFF_LIMIT.toSeconds()
          + " s of its group handling every event");
    }

    private String nextGroup() {
      return "replay-g" + (++groups) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    }
  }
}
