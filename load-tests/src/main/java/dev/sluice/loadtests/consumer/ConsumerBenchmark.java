package dev.sluice.loadtests.consumer;

import static dev.sluice.loadtests.consumer.RunMeter.median;
import static dev.sluice.loadtests.consumer.RunMeter.rate;
import static dev.sluice.loadtests.consumer.RunMeter.rates;
import static dev.sluice.loadtests.consumer.RunMeter.verdictSuffix;
import static dev.sluice.loadtests.consumer.WrapperFactory.quarantined;

import dev.sluice.loadtests.consumer.RunMeter.Run;
import dev.sluice.loadtests.harness.EmbeddedStack;
import dev.sluice.loadtests.harness.Program;
import dev.sluice.loadtests.harness.Progress;
import dev.sluice.loadtests.report.Ratio;
import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.report.SuiteReport;
import dev.sluice.loadtests.report.SuiteReport.Verdict;
import dev.sluice.quarantine.consumer.DelayedRetry;
import dev.sluice.quarantine.consumer.EventHandler;
import dev.sluice.quarantine.consumer.QuarantiningConsumer;
import dev.sluice.quarantine.consumer.Triage;
import dev.sluice.quarantine.consumer.WrapperConfig;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.retry.PoisonPill;
import dev.sluice.quarantine.retry.RetryClassifier;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.quarantine.store.QuarantineTable;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The consumer side's speed, measured in one run, side by side: the quarantining wrapper against a bare
 * vertx-kafka-client consumer with the same empty handler (a), the wrapper through a 10% poison storm (b), and the
 * wrapper with 1,000 keys held open by quarantined heads while other keys flow (c). It starts Kafka, DynamoDB Local and
 * ElasticMQ embedded on free loopback ports, pre-fills each topic (3 partitions) with a plain producer, then lets each
 * consumer, in a fresh group, read its whole topic; the rate runs from the first record handed over to the last.
 * Both consumers first read a warm-up topic, unreported; (a) is measured in alternating rounds and its medians compared.
 *
 * <pre>
 * ./mvnw -B -q -o -pl load-tests -am package -DskipTests
 * java -cp "load-tests/target/classes:$(cat load-tests/target/classpath.txt)" \
 *     dev.sluice.loadtests.consumer.ConsumerBenchmark [--events 50000] [--phase-limit-s 180]
 * </pre>
 *
 * Writes the table to stdout and to {@code load-tests/target/consumer-benchmark.md}.
 */
public final class ConsumerBenchmark {
  private static final int PARTITIONS = 3;
  /** Records per poll for both consumers, bare and wrapped (the wrapper's default, Kafka's). */
  public static final int MAX_POLL_RECORDS = 500;
  private static final int OPEN_KEYS = 1_000;
  private static final int ROUNDS = 3;
  private static final int POISON_PERCENT = 10;

  private final int events;
  private final Duration phaseLimit;
  private final Progress progress;

  private ConsumerBenchmark(int events, Duration phaseLimit, PrintStream out) {
    this.events = events;
    this.phaseLimit = phaseLimit;
    this.progress = new Progress(out);
  }

  /** The defaults: 50,000 events per figure, each consumer given at most 3 minutes. */
  public static final ReadOptions DEFAULTS = new ReadOptions(50_000, Duration.ofSeconds(180));

  public static void main(String[] args) throws Exception {
    ReadOptions options = Program.optionsOrExit(args, a -> ReadOptions.parse(a, DEFAULTS, "ConsumerBenchmark"));
    new ConsumerBenchmark(options.events(), options.phaseLimit(), System.out).run()
        .publish(System.out, ConsumerBenchmark.class, "consumer-benchmark.md");
    // Kafka's and DynamoDB Local's leftover non-daemon threads must not keep the JVM alive.
    System.exit(0);
  }

  /** For {@code ./sluice bench}: one run, its table printed to {@code out}; returns its ratios with their targets. */
  public static List<Ratio> ratios(ReadOptions options, PrintStream out) throws Exception {
    SuiteReport report = new ConsumerBenchmark(options.events(), options.phaseLimit(), out).run();
    out.println();
    out.println(report.markdown());
    return report.ratios();
  }

  private SuiteReport run() throws Exception {
    try (EmbeddedStack stack = EmbeddedStack.start("sluice-consumer-bench", progress)) {
      String table = "bench-quarantine";
      QuarantineTable.ensure(stack.dynamo(), table);
      Bench bench = new Bench(stack.vertx(), stack.bootstrap(),
          new QuarantineStore(stack.vertx(), stack.dynamo(), table, Clock.systemUTC()), stack.sqs(), "bench");
      return bench.measure();
    }
  }

  /** The engines' clients and the measurements made with them. */
  private final class Bench {
    private final Vertx vertx;
    private final String bootstrap;
    private final QuarantineStore store;
    private final SchemaRegistry registry;
    private final WrapperFactory wrappers;
    private final Prefill prefill;
    private final RunMeter meter;
    private int groups;

    Bench(Vertx vertx, String bootstrap, QuarantineStore store, SqsClient sqs, String queuePrefix) {
      this.vertx = vertx;
      this.bootstrap = bootstrap;
      this.store = store;
      this.registry = ProductRecords.registryFor(Set.of("bench-warmup", "bench-a", "bench-b", "bench-c"));
      this.wrappers = new WrapperFactory(vertx, bootstrap, store, sqs, queuePrefix, registry);
      this.prefill = new Prefill(bootstrap);
      this.meter = new RunMeter(vertx, phaseLimit, progress);
    }

    SuiteReport measure() throws Exception {
      int warmup = Math.min(events, 20_000);
      createTopics(List.of("bench-warmup", "bench-a", "bench-b", "bench-c"));
      phase("pre-fill", "warm-up " + warmup + ", (a) " + events + " valid, (b) " + events + " with " + POISON_PERCENT
          + "% poison, (c) " + OPEN_KEYS + " openers then " + events + " valid, other keys");
      produce("bench-warmup", "w-", warmup, 0);
      produce("bench-a", "a-", events, 0);
      produce("bench-b", "b-", events, POISON_PERCENT);
      produce("bench-c", "open-", OPEN_KEYS, 0);

      // Unreported: both consumers once over a small topic, so neither measured run pays for the JIT alone.
      phase("warm-up", "bare and wrapper over " + warmup + " events");
      bare("warm-up bare", "bench-warmup", warmup, null);
      CountingHandler warm = new CountingHandler();
      wrapper("warm-up wrapper", "bench-warmup", nextGroup(), warm, warm::calls, warmup, new SimpleMeterRegistry());

      // Alternating rounds, each in a fresh group over the same topic; the median of each side is reported, so one
      // run disturbed by the other agents on this machine (or by a late JIT compile) does not decide the figure.
      // The bare consumer is measured twice over: with the empty handler alone (the baseline), and decoding
      // and validating each record as the wrapper does before its handler sees the event (the same work per record
      // as the wrapper's, so the gap to it is the wrapper's own bookkeeping).
      List<Run> bares = new ArrayList<>();
      List<Run> bareTriages = new ArrayList<>();
      List<Run> wrappers = new ArrayList<>();
      Triage triage = new Triage(registry);
      for (int round = 1; round <= ROUNDS; round++) {
        phase("(a) bare " + round + "/" + ROUNDS, "vertx-kafka-client consumer, empty handler, max.poll.records "
            + MAX_POLL_RECORDS);
        bares.add(bare("(a) bare", "bench-a", events, null));
        phase("(a) bare + decode/validate " + round + "/" + ROUNDS,
            "the bare consumer, decoding and validating each record as the wrapper does");
        bareTriages.add(bare("(a) bare + decode/validate", "bench-a", events, triage));
        phase("(a) wrapper " + round + "/" + ROUNDS, "QuarantiningConsumer, empty handler, delayed tier off");
        CountingHandler a = new CountingHandler();
        wrappers.add(wrapper("(a) wrapper", "bench-a", nextGroup(), a, a::calls, events, new SimpleMeterRegistry()));
      }
      Run bareA = median(bares);
      Run bareTriage = median(bareTriages);
      Run wrapperA = median(wrappers);

      phase("(b) wrapper", POISON_PERCENT + "% schema-invalid records, each quarantined in DynamoDB Local");
      CountingHandler b = new CountingHandler();
      SimpleMeterRegistry bMeters = new SimpleMeterRegistry();
      Run wrapperB = wrapper("(b) wrapper", "bench-b", nextGroup(), b, () -> b.calls() + quarantined(bMeters),
          events, bMeters);
      long poison = quarantined(bMeters);

      phase("(c) open keys", OPEN_KEYS + " keys made open: their first event is rejected (PoisonPill)");
      String cGroup = nextGroup();
      SimpleMeterRegistry openMeters = new SimpleMeterRegistry();
      EventHandler rejectOpeners = event -> Future.failedFuture(new PoisonPill("benchmark: held open"));
      wrapper("(c) opening", "bench-c", cGroup, rejectOpeners, () -> quarantined(openMeters), OPEN_KEYS, openMeters);
      long open = openHeads(cGroup, "bench-c");
      note("open heads in the store for " + cGroup + ": " + open);
      produce("bench-c", "c-", events, 0);
      phase("(c) wrapper", "same group restarted (loads the open heads), " + events + " events of other keys");
      CountingHandler c = new CountingHandler();
      EventHandler countOthers = event -> event.key().filter(k -> k.startsWith("open-")).isPresent()
          ? Future.failedFuture(new PoisonPill("benchmark: held open")) : c.handle(event);
      Run wrapperC = wrapper("(c) wrapper", "bench-c", cGroup, countOthers, c::calls, events,
          new SimpleMeterRegistry());

      SuiteReport report = new SuiteReport("consumer", "Consumer benchmark", false);
      report.setting(events + " events per figure, topics of " + PARTITIONS + " partitions, max.poll.records "
          + MAX_POLL_RECORDS + ", each consumer in a fresh group, engines embedded in this JVM ("
          + Runtime.getRuntime().availableProcessors() + " CPUs)");
      report.setting("rate = records / time from the first record handed over to the last (group join excluded)");
      report.row("bare vertx-kafka-client consumer, empty handler (median of " + ROUNDS + ")", rate(bareA) + " "
          + rates(bares), "", "baseline", bareA.complete() ? Verdict.BASELINE : Verdict.NOT_MEASURED);
      report.row("bare consumer + per-record decode and schema validation, then the empty handler (median of "
          + ROUNDS + ")", rate(bareTriage) + " " + rates(bareTriages) + verdictSuffix(bareTriage),
          String.format("%.2f", bareTriage.rate() / bareA.rate()), "", Verdict.REPORTED);
      report.atLeast("(a) wrapper, empty handler vs bare with the empty handler alone (the issue's figure)",
          rate(wrapperA) + " " + rates(wrappers) + verdictSuffix(wrapperA),
          Estimate.single(wrapperA.rate() / bareA.rate()), 0.9);
      report.atLeast("(a') wrapper vs bare + decode/validate (same work per record: the handler gets the validated "
          + "event)", rate(wrapperA), Estimate.single(wrapperA.rate() / bareTriage.rate()), 0.9);
      report.atLeast("(b) wrapper, " + POISON_PERCENT + "% poison vs (a)", rate(wrapperB) + verdictSuffix(wrapperB),
          Estimate.single(wrapperB.rate() / wrapperA.rate()), 0.5);
      report.row("(b) quarantine writes into DynamoDB Local", String.format("%,.0f items/s (%,d items)",
          wrapperB.seconds() <= 0 ? 0 : poison / wrapperB.seconds(), poison), "", "", Verdict.REPORTED);
      report.atLeast("(c) wrapper, " + open + " keys open vs (a)", rate(wrapperC) + verdictSuffix(wrapperC),
          Estimate.single(wrapperC.rate() / wrapperA.rate()), 0.9);
      report.note("poison = schema-invalid data (price is a string) in valid binary-mode CloudEvent headers; each is "
          + "written once as QUARANTINED, written behind in conditional batches (TransactWriteItems of up to 100 "
          + "items, attribute_not_exists on each) while later records flow; the commit never passes an unwritten item");
      report.note("the wrapper validates every record (it must, to quarantine poison), so (a) against the bare "
          + "consumer with the empty handler alone mostly measures decoding and validation; (a') compares like with "
          + "like");
      report.note("(c): the opening run's " + OPEN_KEYS + " events were quarantined (HANDLER_REJECTED) by the same "
          + "group; the measured run restarts it, so it loads those heads before handling anything");
      if (!(bareA.complete() && wrapperA.complete() && wrapperB.complete() && wrapperC.complete())) {
        report.note("**a run did not read its whole topic within " + phaseLimit.toSeconds()
            + " s: its rate covers only what it read**");
      }
      return report;
    }

    private String nextGroup() {
      return "bench-g" + (++groups) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    private void createTopics(List<String> topics) throws Exception {
      prefill.createTopics(topics, PARTITIONS, Map.of());
    }

    /** Writes {@code count} records with keys {@code prefix + i}, acks=all, and fails if any was not acknowledged. */
    private void produce(String topic, String keyPrefix, int count, int poisonPercent) {
      Duration took = prefill.write(count,
          i -> ProductRecords.record(topic, keyPrefix + i, ProductRecords.isPoison(i, poisonPercent)));
      note(String.format("%s: %,d records written in %.1f s", topic, count, took.toMillis() / 1e3));
    }

    /**
     * A bare vertx-kafka-client consumer: the same empty handler per record, a commit every second like the wrapper;
     * with a {@code triage}, each record is first decoded and validated as the wrapper does it.
     */
    private Run bare(String label, String topic, int expected, Triage triage) throws Exception {
      CountingHandler counter = new CountingHandler();
      String group = nextGroup();
      return meter.measure(label, BareConsumer.verticle(vertx, bootstrap, group, topic, MAX_POLL_RECORDS,
          triage == null ? record -> counter.call()
              : record -> BareConsumer.decoded(triage, group, record).ifPresent(event -> counter.call())),
          counter, counter::calls, expected);
    }

    private Run wrapper(String label, String topic, String group, EventHandler handler, LongSupplier done,
        int expected, SimpleMeterRegistry meters) throws Exception {
      QuarantiningConsumer consumer = wrappers.build(config(group, topic), handler, meters);
      CountingHandler clock = handler instanceof CountingHandler ch ? ch : null;
      return meter.measure(label, RunMeter.verticle(consumer), clock, done, expected);
    }

    private long openHeads(String group, String topic) throws Exception {
      long total = 0;
      for (int p = 0; p < PARTITIONS; p++) {
        total += store.openItems(group, topic, p).toCompletionStage().toCompletableFuture()
            .get(60, TimeUnit.SECONDS).size();
      }
      return total;
    }
  }

  /**
   * The wrapper's policy for the benchmark, built here rather than from the dev config: a batch of 500 records, short
   * in-place retries (so 500 x the worst case stays below max.poll.interval.ms), and the delayed tier off.
   */
  public static WrapperConfig config(String group, String topic) {
    return new WrapperConfig(group, Set.of(topic), new BackoffPolicy(Duration.ofMillis(10), 2.0,
        Duration.ofMillis(50), 3), RetryClassifier.defaults(), MAX_POLL_RECORDS, Duration.ofMinutes(5),
        Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(5),
        DelayedRetry.disabled(), Duration.ofSeconds(5), Duration.ofSeconds(1));
  }

  private void phase(String label, String how) {
    progress.phase(label, how);
  }

  private void note(String text) {
    progress.note(text);
  }
}
