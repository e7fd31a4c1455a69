package dev.sluice.loadtests.replay;

import dev.sluice.loadtests.consumer.BareConsumer;
import dev.sluice.loadtests.consumer.ConsumerBenchmark;
import dev.sluice.loadtests.consumer.Prefill;
import dev.sluice.loadtests.consumer.ReadOptions;
import dev.sluice.loadtests.consumer.RunMeter;
import dev.sluice.loadtests.harness.EmbeddedStack;
import dev.sluice.loadtests.harness.Program;
import dev.sluice.loadtests.harness.Progress;
import dev.sluice.loadtests.ingest.HeapWatch;
import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.method.Plan;
import dev.sluice.loadtests.method.Results;
import dev.sluice.loadtests.method.Rounds;
import dev.sluice.loadtests.method.Trial;
import dev.sluice.loadtests.report.Ratio;
import dev.sluice.loadtests.report.SuiteReport;
import dev.sluice.loadtests.report.SuiteReport.Verdict;
import dev.sluice.quarantine.replay.ReplayKafka;
import dev.sluice.quarantine.replay.ReplayStore;
import dev.sluice.quarantine.store.QuarantineTable;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.storekit.dynamo.WorkerTable;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How fast a cold-start replay goes through a stream's history, side by side with a bare consumer doing the same work,
 * in one run. It starts Kafka, DynamoDB Local and ElasticMQ embedded on free loopback ports, creates the demo stream's
 * topic (3 partitions, kept forever) and seeds it with {@link History}: 1 KB events of the demo's three types whose
 * times span three years. Then {@link Rounds} measures two variants ({@link ReplayTrials}), each run a new group over
 * the whole topic, warmed up, interleaved, until three runs in a row of each agree, then run once per round, the
 * order reversed every other round:
 *
 * <ul>
 *   <li>the replay: a cold start from {@code earliest} stored and placed as the console does it ({@link ColdStart}),
 *       read by the quarantining wrapper built with {@code .replays(table)}, so every event's replay flag is computed,
 *       into a handler that keeps the catalog view in memory ({@link CatalogMemory});</li>
 *   <li>the baseline: a bare vertx-kafka-client consumer ({@link BareConsumer}) decoding and validating each record as
 *       the wrapper does, into the same handler.</li>
 * </ul>
 *
 * <p>Rates run from the first event handled to the last (the captured end); the ratio is the median of the rounds'
 * ratios. After the rounds, one more run of each side between full GCs shows whether the live heap stays flat.
 *
 * <pre>
 * ./mvnw -B -q -o -pl load-tests -am package -DskipTests
 * java -cp "load-tests/target/classes:$(cat load-tests/target/classpath.txt)" \
 *     dev.sluice.loadtests.replay.ReplayBenchmark [--quick] [--events 500000] [--phase-limit-s 120] [--rounds 5]
 * </pre>
 *
 * Writes the table to stdout and to {@code load-tests/target/replay-benchmark.md}.
 */
public final class ReplayBenchmark {
  /**
   * Half a million events: about 6 s a run at this machine's 80,000 events/s, several garbage collections each, and
   * the whole suite, warm-ups included, within about five minutes. A million took twice as long and its rounds were
   * no closer together.
   */
  public static final ReadOptions DEFAULTS = new ReadOptions(500_000, Duration.ofSeconds(120), Plan.full());
  /** {@code --quick}: a smoke test, short runs, not judged. */
  public static final ReadOptions QUICK = new ReadOptions(100_000, Duration.ofSeconds(60), Plan.quick());
  static final String SUITE = "replay";
  static final String STREAM = "retail";
  static final double TARGET = 0.9;
  /** The replay does the bare consumer's work plus its own: it cannot be faster when measured right. */
  static final double CEILING = 1.0;
  private static final String BARE = "bare";
  private static final String REPLAY = "replay";
  private static final String REPLAYS = "bench-replays";
  private static final String QUARANTINE = "bench-quarantine";
  /** The worked example of docs/replay.md: three years of a stream averaging 100 events/s, replayed in one hour. */
  private static final double EXAMPLE_RATE = 100;

  private final ReadOptions options;
  private final Progress progress;

  private ReplayBenchmark(ReadOptions options, PrintStream out) {
    this.options = options;
    this.progress = new Progress(out);
  }

  public static void main(String[] args) throws Exception {
    ReadOptions options = Program.optionsOrExit(args, a -> ReadOptions.parse(a, DEFAULTS, QUICK,
        "ReplayBenchmark"));
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
        return measure(stack, kafka);
      } finally {
        Progress.await(kafka.close(), 30);
      }
    }
  }

  /** A side's extra run between full GCs: the live heap before and after it. */
  private record Heap(HeapWatch.Summary summary) {
    /** "live after a full GC 120 → 124 MiB; after each GC during the run at most 400 MiB". */
    String text() {
      return "live after a full GC " + summary.liveBeforeMb() + " → " + summary.liveAfterMb()
          + " MiB; after each GC during the run at most " + summary.afterGcMb().max() + " MiB";
    }
  }

  private SuiteReport measure(EmbeddedStack stack, ReplayKafka kafka) throws Exception {
    SchemaRegistry registry = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());
    StreamDefinition stream = registry.catalog().stream(STREAM).orElseThrow();
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

    ReplayStore store = new ReplayStore(new WorkerTable(stack.vertx(), stack.dynamo(), REPLAYS, Clock.systemUTC()));
    ReplayTrials trials = new ReplayTrials(
        new ReplayTrials.Parts(stack, new RunMeter(stack.vertx(), options.phaseLimit(), progress),
            new ColdStart(store, kafka), store, registry),
        new ReplayTrials.Target(stream, QUARANTINE, REPLAYS, events));
    Results results = new Rounds(options.plan(), line -> progress.phase(line, ""))
        .variant(BARE, trials.bare())
        .variant(REPLAY, trials.replay())
        .run();
    // Apart from the measured runs, whose garbage collections the method counts: a full GC before and after each.
    progress.phase("heap", "one more run of each side, between full GCs");
    Heap bareHeap = watched(trials.bare());
    Heap replayHeap = watched(trials.replay());
    return report(history, stream, results, trials, bareHeap, replayHeap);
  }

  private static Heap watched(Trial trial) throws Exception {
    HeapWatch heap = HeapWatch.start();
    try {
      trial.run();
    } catch (Exception e) {
      heap.close();
      throw e;
    }
    return new Heap(heap.stop());
  }

  private SuiteReport report(History history, StreamDefinition stream, Results results, ReplayTrials trials,
      Heap bareHeap, Heap replayHeap) {
    Estimate bare = results.rate(BARE);
    Estimate replay = results.rate(REPLAY);
    double spanSeconds = history.span().toMillis() / 1e3;
    // Event time covered per wall-clock second: the history's span over the time a run takes at each rate.
    Estimate multiple = replay.map(rate -> Pace.multipleOfRealTime(history.span(), history.count() / rate));
    double perPartition = replay.median() / stream.partitions();
    double needed = Pace.neededRate(EXAMPLE_RATE, History.THREE_YEARS, Duration.ofHours(1));

    SuiteReport report = new SuiteReport(SUITE, "Replay benchmark", options.plan().smoke());
    report.setting(String.format("%,d events of the demo stream (%d types, %d bytes of data each, valid), times "
            + "spread evenly over %d days, topic of %d partitions; each run in a new group over the whole topic",
        history.count(), 3, History.DATA_BYTES, history.span().toDays(), stream.partitions()));
    report.setting("both sides: max.poll.records " + ConsumerBenchmark.MAX_POLL_RECORDS + ", the same handler "
        + "(parse the data, update an in-memory catalog view); engines embedded in this JVM ("
        + Runtime.getRuntime().availableProcessors() + " CPUs)");
    report.setting("rate = events / time from the first event handled to the last (group join, the replay's start "
        + "and its hand-off to DONE not timed); ratio = the median of the rounds' ratios");
    report.method(results);
    report.reported("(a) bare vertx-kafka-client consumer + per-record decode and schema validation + the handler "
        + "(events/s)", "per run " + bare.samplesText(), bare);
    report.atLeast("replay through the wrapper (cold start, .replays(), flag computed) vs (a)",
        String.format("%s vs %s events/s (medians); replay per run %s; per round %s", Estimate.format(replay.median()),
            Estimate.format(bare.median()), replay.samplesText(), results.ratio(REPLAY, BARE).samplesText()),
        results.ratio(REPLAY, BARE), TARGET, CEILING);
    report.reported("replay speed, multiple of real time (event time covered / wall-clock time)",
        String.format("%,.0f× (%d days in %.1f s at the median rate; the baseline %,.0f×)", multiple.median(),
            history.span().toDays(), history.count() / replay.median(),
            spanSeconds * bare.median() / history.count()), multiple);
    report.row("replay flag: events flagged as replayed, per replay run (warm-ups included)", trials.flagged()
        .stream().map(f -> String.format("%,d", f)).collect(Collectors.joining(" / ")) + String.format(" of %,d",
        history.count()), "", "all", Verdict.of(!trials.flagged().isEmpty()
        && trials.flagged().stream().allMatch(f -> f == history.count())));
    report.row("hand-off: replay DONE after the last event was handled, per replay run", trials.handOffs().stream()
        .map(s -> String.format("%.1f s", s)).collect(Collectors.joining(" / ")), "", "within a lane refresh (5 s) "
        + "plus a commit (1 s)", Verdict.REPORTED);
    report.row("the view each run built (both sides, warm-ups included)", String.join("; ", trials.views()), "",
        "the same", Verdict.of(trials.views().size() == 1));
    report.row("heap, one more replay run", replayHeap.text(), "", "flat", Verdict.of(replayHeap.summary().flat()));
    report.row("heap, one more bare run", bareHeap.text(), "", "flat", Verdict.of(bareHeap.summary().flat()));
    if (perPartition > 0) {
      // A denser stream covers less event time per event: its multiple is the rate over its own average rate.
      double denseMultiple = replay.median() / EXAMPLE_RATE;
      report.row("three years of a stream averaging 100 events/s", String.format("at this rate: %,.0f× real time, "
              + "%.1f h; in one hour: %,.0f events/s = %,d partitions, each with an instance of its own, at this "
              + "run's %,.0f events/s per partition", denseMultiple,
          History.THREE_YEARS.toSeconds() / denseMultiple / 3600, needed, Pace.partitionsFor(needed, perPartition),
          perPartition), "", "", Verdict.REPORTED);
    }
    report.note("the heap is the whole JVM's (Kafka broker, DynamoDB Local, ElasticMQ and the consumer); flat = "
        + "the live heap after the run is within max(32 MiB, 25 %) of the one before it; measured in runs of their "
        + "own so that the full GCs do not count among the measured runs' collections");
    report.note("per partition = the replay's rate / " + stream.partitions() + ": one instance read all "
        + stream.partitions() + " partitions on this machine's shared cores, so it is a floor, not a partition's "
        + "own limit");
    if (!trials.incomplete().isEmpty()) {
      report.note("**" + trials.incomplete().size() + " run(s) did not read the whole topic within "
          + options.phaseLimit().toSeconds() + " s: their rates cover only what they read**");
    }
    return report;
  }
}
