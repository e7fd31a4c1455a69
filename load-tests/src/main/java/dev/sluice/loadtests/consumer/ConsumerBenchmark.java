package dev.sluice.loadtests.consumer;

import dev.sluice.deploy.engine.EmbeddedEngines;
import dev.sluice.loadtests.harness.LoopbackPorts;
import dev.sluice.loadtests.harness.Program;
import dev.sluice.loadtests.report.Ratio;
import dev.sluice.loadtests.report.SuiteReport;
import dev.sluice.loadtests.report.SuiteReport.Verdict;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
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
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
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
  private static final int MAX_POLL_RECORDS = 500;
  private static final int OPEN_KEYS = 1_000;
  private static final int ROUNDS = 3;
  private static final int POISON_PERCENT = 10;
  private static final String QUARANTINED = "sluice.consumer.events.quarantined";

  /** One consumer reading its topic to the end. */
  record Run(String label, long records, double seconds, boolean complete) {
    double rate() {
      return seconds <= 0 ? 0 : records / seconds;
    }
  }

  private final int events;
  private final Duration phaseLimit;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();

  private ConsumerBenchmark(int events, Duration phaseLimit, PrintStream out) {
    this.events = events;
    this.phaseLimit = phaseLimit;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    int events = 50_000;
    int limitSeconds = 180;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--events" -> events = Integer.parseInt(args[++i]);
        case "--phase-limit-s" -> limitSeconds = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("usage: ConsumerBenchmark [--events N] [--phase-limit-s S]");
          System.exit(2);
        }
      }
    }
    if (events < 100) {
      System.err.println("--events must be at least 100");
      System.exit(2);
    }
    SuiteReport report = new ConsumerBenchmark(events, Duration.ofSeconds(limitSeconds), System.out).run();
    String markdown = report.markdown();
    System.out.println();
    System.out.println(markdown);
    Path file = reportFile();
    Files.writeString(file, markdown, StandardCharsets.UTF_8);
    System.out.println("written to " + file);
    // Kafka's and DynamoDB Local's leftover non-daemon threads must not keep the JVM alive.
    System.exit(0);
  }

  /** For {@code ./sluice bench}: one run, its table printed to {@code out}; returns its ratios with their targets. */
  public static List<Ratio> ratios(int events, Duration phaseLimit, PrintStream out)
      throws Exception {
    SuiteReport report = new ConsumerBenchmark(events, phaseLimit, out).run();
    out.println();
    out.println(report.markdown());
    return report.ratios();
  }

  private SuiteReport run() throws Exception {
    Path dir = Files.createTempDirectory("sluice-consumer-bench");
    int[] ports = LoopbackPorts.free(4);
    note("starting Kafka, DynamoDB Local and ElasticMQ on 127.0.0.1:" + ports[0] + "/" + ports[2] + "/" + ports[3]);
    try (EmbeddedEngines engines = EmbeddedEngines.start(new EmbeddedEngines.Spec(dir.resolve("kafka"), ports[0],
        ports[1], null, ports[2], ports[3]))) {
      String bootstrap = engines.kafka().bootstrapServers();
      AwsConfig aws = AwsConfig.local(engines.dynamoDb().endpoint(), engines.sqs().endpoint());
      Vertx vertx = Vertx.vertx();
      try (DynamoDbClient dynamo = AwsClients.dynamo(aws); SqsClient sqs = AwsClients.sqs(aws)) {
        String table = "bench-quarantine";
        QuarantineTable.ensure(dynamo, table);
        Bench bench = new Bench(vertx, bootstrap, new QuarantineStore(vertx, dynamo, table, Clock.systemUTC()), sqs,
            "bench");
        return bench.measure();
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    }
  }

  /** The engines' clients and the measurements made with them. */
  private final class Bench {
    private final Vertx vertx;
    private final String bootstrap;
    private final QuarantineStore store;
    private final SqsClient sqs;
    private final String queuePrefix;
    private final SchemaRegistry registry;
    private int groups;

    Bench(Vertx vertx, String bootstrap, QuarantineStore store, SqsClient sqs, String queuePrefix) {
      this.vertx = vertx;
      this.bootstrap = bootstrap;
      this.store = store;
      this.sqs = sqs;
      this.queuePrefix = queuePrefix;
      this.registry = ProductRecords.registryFor(Set.of("bench-warmup", "bench-a", "bench-b", "bench-c"));
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

      SuiteReport report = new SuiteReport("consumer", "Consumer benchmark");
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
          wrapperA.rate() / bareA.rate(), 0.9);
      report.atLeast("(a') wrapper vs bare + decode/validate (same work per record: the handler gets the validated "
          + "event)", rate(wrapperA), wrapperA.rate() / bareTriage.rate(), 0.9);
      report.atLeast("(b) wrapper, " + POISON_PERCENT + "% poison vs (a)", rate(wrapperB) + verdictSuffix(wrapperB),
          wrapperB.rate() / wrapperA.rate(), 0.5);
      report.row("(b) quarantine writes into DynamoDB Local", String.format("%,.0f items/s (%,d items)",
          wrapperB.seconds() <= 0 ? 0 : poison / wrapperB.seconds(), poison), "", "", Verdict.REPORTED);
      report.atLeast("(c) wrapper, " + open + " keys open vs (a)", rate(wrapperC) + verdictSuffix(wrapperC),
          wrapperC.rate() / wrapperA.rate(), 0.9);
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
      try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
        admin.createTopics(topics.stream().map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toList())
            .all().get(60, TimeUnit.SECONDS);
      }
    }

    /** Writes {@code count} records with keys {@code prefix + i}, acks=all, and fails if any was not acknowledged. */
    private void produce(String topic, String keyPrefix, int count, int poisonPercent) throws Exception {
      Map<String, Object> props = new HashMap<>();
      props.put("bootstrap.servers", bootstrap);
      props.put("acks", "all");
      props.put("linger.ms", 5);
      props.put("batch.size", 256 * 1024);
      AtomicLong failed = new AtomicLong();
      AtomicReference<Exception> firstFailure = new AtomicReference<>();
      long t0 = System.nanoTime();
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
          new ByteArraySerializer())) {
        for (int i = 0; i < count; i++) {
          producer.send(ProductRecords.record(topic, keyPrefix + i, ProductRecords.isPoison(i, poisonPercent)),
              (meta, e) -> {
                if (e != null) {
                  failed.incrementAndGet();
                  firstFailure.compareAndSet(null, e);
                }
              });
        }
        producer.flush();
      }
      if (failed.get() > 0) {
        throw new IllegalStateException(failed.get() + " records to " + topic + " not written", firstFailure.get());
      }
      note(String.format("%s: %,d records written in %.1f s", topic, count, (System.nanoTime() - t0) / 1e9));
    }

    /**
     * A bare vertx-kafka-client consumer: the same empty handler per record, a commit every second like the wrapper;
     * with a {@code triage}, each record is first decoded and validated as the wrapper does it.
     */
    private Run bare(String label, String topic, int expected, Triage triage) throws Exception {
      CountingHandler counter = new CountingHandler();
      Map<String, Object> props = new HashMap<>();
      props.put("bootstrap.servers", bootstrap);
      props.put("group.id", nextGroup());
      props.put("enable.auto.commit", "false");
      props.put("auto.offset.reset", "earliest");
      props.put("max.poll.records", Integer.toString(MAX_POLL_RECORDS));
      VerticleBase verticle = new VerticleBase() {
        private KafkaConsumer<byte[], byte[]> consumer;
        private long commitTimer;

        @Override
        public Future<?> start() {
          // Constructing the client resolves the bootstrap address: on a worker, as the wrapper does it.
          return vertx.executeBlocking(() -> new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                  props, new ByteArrayDeserializer(), new ByteArrayDeserializer()), false)
              .compose(raw -> {
                consumer = KafkaConsumer.create(vertx, raw);
                consumer.handler(record -> {
                  if (triage != null) {
                    List<KafkaHeader> headers = record.headers().stream()
                        .map(h -> new KafkaHeader(h.key(), h.value().getBytes())).toList();
                    if (!(triage.triage(record.topic(), headers, record.value()) instanceof Triage.Ready)) {
                      return;
                    }
                  }
                  counter.call();
                });
                commitTimer = vertx.setPeriodic(1_000, t -> consumer.commit());
                return consumer.subscribe(topic);
              });
        }

        @Override
        public Future<?> stop() {
          vertx.cancelTimer(commitTimer);
          return consumer.commit().eventually(() -> consumer.close());
        }
      };
      return measureRun(label, verticle, counter, counter::calls, expected);
    }

    private Run wrapper(String label, String topic, String group, EventHandler handler, LongSupplier done,
        int expected, SimpleMeterRegistry meters) throws Exception {
      QuarantiningConsumer consumer = QuarantiningConsumer.builder(config(group, topic))
          .kafka(Map.of("bootstrap.servers", bootstrap))
          .store(store.table().dynamo(), store.table().name())
          .queues(sqs, queuePrefix)
          .schemas(registry)
          .meters(meters)
          .handler(handler)
          .build(vertx);
      VerticleBase verticle = new VerticleBase() {
        @Override
        public Future<?> start() {
          return consumer.start();
        }

        @Override
        public Future<?> stop() {
          return consumer.stop();
        }
      };
      CountingHandler clock = handler instanceof CountingHandler ch ? ch : null;
      return measureRun(label, verticle, clock, done, expected);
    }

    /**
     * Deploys the consumer, waits (bounded by the phase limit) until {@code done} reaches {@code expected}, printing
     * a line a second, then undeploys it. The clock starts at the handler's first call when there is a counting
     * handler, otherwise at the first progress seen.
     */
    private Run measureRun(String label, VerticleBase verticle, CountingHandler counter, LongSupplier done,
        long expected) throws Exception {
      long deployed = System.nanoTime();
      String id = vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      long deadline = deployed + phaseLimit.toNanos();
      long firstSeen = 0;
      long nextTick = deployed + 1_000_000_000L;
      long last = 0;
      long now = System.nanoTime();
      long count = done.getAsLong();
      while (count < expected && now < deadline) {
        TimeUnit.MILLISECONDS.sleep(2);
        now = System.nanoTime();
        count = done.getAsLong();
        if (firstSeen == 0 && count > 0) {
          firstSeen = now;
        }
        if (now >= nextTick) {
          out.printf("[%5.1fs]    %s: %,d / %,d (+%,d)%n", elapsed(), label, count, expected, count - last);
          last = count;
          nextTick += 1_000_000_000L;
        }
      }
      long end = now;
      boolean complete = count >= expected;
      vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      long start = counter != null && counter.firstNanos() != 0 ? counter.firstNanos() : firstSeen;
      double seconds = start == 0 ? 0 : (end - start) / 1e9;
      Run run = new Run(label, count, seconds, complete);
      done(String.format("%s: %,d records in %.2f s = %,.0f/s%s (%.1f s with group join)", label, count, seconds,
          run.rate(), complete ? "" : " INCOMPLETE", (end - deployed) / 1e9));
      return run;
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
  static WrapperConfig config(String group, String topic) {
    return new WrapperConfig(group, Set.of(topic), new BackoffPolicy(Duration.ofMillis(10), 2.0,
        Duration.ofMillis(50), 3), RetryClassifier.defaults(), MAX_POLL_RECORDS, Duration.ofMinutes(5),
        Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(5),
        DelayedRetry.disabled(), Duration.ofSeconds(5), Duration.ofSeconds(1));
  }

  static long quarantined(SimpleMeterRegistry meters) {
    return (long) meters.find(QUARANTINED).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static String rate(Run run) {
    return String.format("%,.0f events/s", run.rate());
  }

  /** The run of median rate (the upper one of an even count). */
  static Run median(List<Run> runs) {
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(Run::rate));
    return sorted.get(sorted.size() / 2);
  }

  private static String rates(List<Run> runs) {
    return runs.stream().map(r -> String.format("%,.0f", r.rate())).collect(Collectors.joining(" / ", "(", ")"));
  }

  private static String verdictSuffix(Run run) {
    return run.complete() ? "" : String.format(" (incomplete: %,d read)", run.records());
  }

  private void phase(String label, String how) {
    out.printf("[%5.1fs] == %s: %s%n", elapsed(), label, how);
  }

  private void note(String text) {
    out.printf("[%5.1fs]    %s%n", elapsed(), text);
  }

  private void done(String text) {
    out.printf("[%5.1fs]    -> %s%n", elapsed(), text);
  }

  private double elapsed() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** {@code load-tests/target/consumer-benchmark.md}, found from where this class was loaded. */
  private static Path reportFile() {
    return Program.inTarget(ConsumerBenchmark.class, "consumer-benchmark.md").orElse(Path.of("consumer-benchmark.md"));
  }
}
