package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.ConsumerBenchmark;
import dev.sluice.loadtests.consumer.Prefill;
import dev.sluice.loadtests.consumer.ProductRecords;
import dev.sluice.loadtests.consumer.WrapperFactory;
import dev.sluice.loadtests.harness.EmbeddedStack;
import dev.sluice.loadtests.harness.Program;
import dev.sluice.loadtests.harness.Progress;
import dev.sluice.loadtests.method.Results;
import dev.sluice.loadtests.report.Ratio;
import dev.sluice.loadtests.report.SuiteReport;
import dev.sluice.quarantine.consumer.Triage;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.quarantine.store.QuarantineTable;
import dev.sluice.schemas.registry.SchemaRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

/**
 * The Sluice wrapper side by side with its peers, in one JVM, on the same embedded broker and the same records:
 * Confluent Parallel Consumer (I/O-bound handler, key order), Spring Kafka's dead-letter publishing (10 % poison), a
 * bare KafkaConsumer poll loop (happy path), and the wrapper alone with keys parked and with an oversized record.
 * Every contender first reads a warm-up topic; then each figure's variants are measured by the shared method
 * ({@link dev.sluice.loadtests.method.Rounds}): each warmed up until its rate settles, then interleaved rounds, the
 * order reversed every other round, each run in a fresh group; each figure is the median of the rounds' ratios, with
 * its interquartile range.
 *
 * <pre>
 * ./sluice bench --only peers [--quick]
 * # or on its own:
 * java -cp "load-tests/target/classes:$(cat load-tests/target/classpath.txt)" \
 *     dev.sluice.loadtests.peers.PeersBenchmark [--quick] [--io-events N] [--events N] [--rounds N] ...
 * # only the wrapper clean (3) and with poison and the quarantine log (2), for profiling the poison path:
 *     ... PeersBenchmark --only-figure poison [--events N] [--rounds N]
 * </pre>
 *
 * Writes the table to stdout and to {@code load-tests/target/peers-benchmark.md}.
 */
public final class PeersBenchmark {
  private static final String FILE = "peers-benchmark.md";

  private final PeersOptions options;
  private final Progress progress;

  private PeersBenchmark(PeersOptions options, PrintStream out) {
    this.options = options;
    this.progress = new Progress(out);
  }

  public static void main(String[] args) {
    PeersOptions options = Program.optionsOrExit(args, PeersOptions::parse);
    int status = 0;
    try {
      new PeersBenchmark(options, System.out).run().publish(System.out, PeersBenchmark.class, FILE);
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    // Kafka's and DynamoDB Local's leftover non-daemon threads (and a peer's that failed) must not keep the JVM alive.
    System.exit(status);
  }

  /** For {@code ./sluice bench}: one run, its table printed to {@code out} and written; returns its ratios. */
  public static List<Ratio> ratios(String[] args, PrintStream out) throws Exception {
    SuiteReport report = new PeersBenchmark(PeersOptions.parse(args), out).run();
    report.publish(out, PeersBenchmark.class, FILE);
    return report.ratios();
  }

  private SuiteReport run() throws Exception {
    long t0 = System.nanoTime();
    try (EmbeddedStack stack = EmbeddedStack.start("sluice-peers-bench", progress)) {
      String table = "peers-quarantine";
      QuarantineTable.ensure(stack.dynamo(), table);
      QuarantineStore store = new QuarantineStore(stack.vertx(), stack.dynamo(), table, Clock.systemUTC());
      SchemaRegistry registry = ProductRecords.registryFor(PeerTopics.all(options));
      Rig rig = new Rig(stack.vertx(), store, new Prefill(stack.bootstrap()), new Triage(registry), new GroupNames(),
          progress, options,
          new SluiceRunner(new WrapperFactory(stack.vertx(), stack.bootstrap(), store, stack.sqs(), "peers",
              registry)),
          new PollLoopRunner(stack.vertx(), stack.bootstrap()),
          new ParallelConsumerRunner(stack.vertx(), stack.bootstrap()),
          new SpringKafkaRunner(stack.vertx(), stack.bootstrap()));
      PeerTopics.prepare(rig);
      new WarmUp(rig).run();
      if (options.onlyPoison()) {
        return poisonOnly(t0, rig);
      }

      SuiteReport report = new SuiteReport("peers", "Peers benchmark: the Sluice wrapper, Confluent Parallel Consumer, "
          + "Spring Kafka, a bare poll loop", options.quick());
      Results io = new IoBoundFigure(rig).measure(report);
      Results noIo = new NoIoFigures(rig).measure(report);
      Results parked = new ParkedKeysFigure(rig).measure(report);
      new OversizedFigure(rig).measure(report);
      settings(report);
      report.method(AllResults.of(List.of(io, noIo, parked)));
      report.note(String.format("ran in %.0f s", (System.nanoTime() - t0) / 1e9));
      return report;
    }
  }

  /**
   * {@code --only-figure poison}: the wrapper clean (3) and with 10 % poison and the quarantine log (2), interleaved
   * by the same method and the same variants as the full suite, and nothing else.
   */
  private SuiteReport poisonOnly(long t0, Rig rig) throws Exception {
    SuiteReport report = new SuiteReport("peers", "Peers benchmark, only the wrapper's 10 % poison with the quarantine "
        + "log against its clean rate", options.quick());
    Results poison = new NoIoFigures(rig).measurePoisonOnly(report);
    report.setting(String.format("%,d events for (3), %,d for (2) with the log; each run in a fresh group, at most "
            + "%d s; engines "
            + "embedded in this JVM (%d CPUs)", options.happyEvents(), options.logEvents(),
        options.runLimit().toSeconds(), Runtime.getRuntime().availableProcessors()));
    report.method(AllResults.of(List.of(poison)));
    report.note(String.format("ran in %.0f s", (System.nanoTime() - t0) / 1e9));
    return report;
  }

  private void settings(SuiteReport report) {
    report.setting(String.format("topics of %d partitions (5: one), %,d events for (1) (the ordered wrapper timed "
            + "over the first %,d, %s over the first %,d), %,d for (3), %,d for (2) with the log (without "
            + "it the first %,d, Spring Kafka the first %,d), %,d for (4); each run in a fresh group, at most %d s; "
            + "engines embedded in this JVM (%d CPUs)", PeerTopics.PARTITIONS, options.ioEvents(),
        options.orderedEvents(), SluiceRunner.BOUNDED_TEXT, options.boundedEvents(), options.happyEvents(),
        options.logEvents(), options.events(), options.springEvents(), options.parkedEvents(),
        options.runLimit().toSeconds(), Runtime.getRuntime().availableProcessors()));
    report.setting("(1), (2) with (3), and (4) each run as one group of variants: every contender first reads a "
        + "warm-up topic once (JIT), then the variants are warmed up on their own figure's topic, interleaved, until "
        + "three runs in a row of each agree, then the variants run in interleaved rounds; each ratio is the median "
        + "of the rounds' ratios");
    report.setting("max.poll.records " + ConsumerBenchmark.MAX_POLL_RECORDS + " for every consumer; rate = records / "
        + "time from the first record handed over to the last (group join excluded)");
    report.setting("peers: Confluent Parallel Consumer " + Versions.parallelConsumer() + ", Spring Kafka "
        + Versions.springKafka() + ", kafka-clients " + Versions.kafkaClients() + " for all");
    report.note("(1): the wrapper's handler waits on a Vert.x timer (no thread held); Parallel Consumer's sleeps on "
        + "one of its own threads (its model), both after decoding and validating the record");
    report.note("(2): the same records are rejected on both sides (every 10th, by key); the wrapper quarantines them "
        + "in DynamoDB Local, Spring publishes them to <topic>-dlt (its DLT producer with linger.ms 0, failures "
        + "logged at DEBUG); Spring's listener decodes and validates each record first, as the wrapper does");
    report.note("(3) and (2): the wrapper strictly ordered (its default); (4) with concurrency "
        + SluiceRunner.BY_KEY_TEXT + " and the 2 ms handler");
  }
}
