package dev.sluice.loadtests.ingest;

import dev.sluice.deploy.engine.DataDirs;
import dev.sluice.deploy.engine.EmbeddedKafka;
import dev.sluice.loadtests.harness.LoopbackPorts;
import dev.sluice.loadtests.harness.Program;
import dev.sluice.loadtests.harness.Progress;
import dev.sluice.loadtests.method.Results;
import dev.sluice.loadtests.method.Rounds;
import dev.sluice.loadtests.method.Trial;
import dev.sluice.loadtests.report.Ratio;
import dev.sluice.loadtests.report.SuiteReport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * The ingest benchmark: one command, one JVM, every figure side by side.
 *
 * <p>It starts a real single-node Kafka broker (embedded KRaft, in a temporary directory, free ports on 127.0.0.1),
 * the gateway through the launcher as {@code ./sluice gateway} does (its catalog with one more type, whose schema
 * checks nothing, for validation off), a bare
 * Vert.x handler and the load generators. Then, with the shared method ({@link Rounds}), it warms every throughput
 * variant up until its rate settles and runs them in interleaved rounds:
 *
 * <ol>
 *   <li>(a) raw Kafka producers, the ceiling of ingest;
 *   <li>(b) the gateway, batches of 100 events per request, validation on, and (d) off;
 *   <li>(c) the gateway, one event per request on keep-alive connections, validation on, (d) off, and the bare
 *       handler, the ceiling of (c).
 * </ol>
 *
 * <p>Every ratio is the median of per-round ratios, with its interquartile range. After the rounds, once: (e) ack
 * latency at half the single-event maximum, open model, with the heap watched meanwhile. With {@code --profile}, the
 * whole run is recorded with JFR and the summary says where the CPU went during single-event ingest's rounds.
 *
 * <p>The broker, the gateways and the generators share this JVM and this machine's cores, as the report says: the
 * figures compare with each other, not with a dedicated cluster. The table is printed and written as Markdown.
 *
 * <p>Reproduce from the repository root:
 *
 * <pre>
 * ./mvnw -B -q -o -pl load-tests -am package -DskipTests
 * java -cp "load-tests/target/classes:$(cat load-tests/target/classpath.txt)" \
 *     dev.sluice.loadtests.ingest.IngestBenchmark [--quick] [--rounds N] [--profile FILE.jfr] [--help]
 * </pre>
 */
public final class IngestBenchmark {
  static {
    // Before anything touches java.util.logging: the gateway logs through System.Logger (JUL), route it to log4j2 as
    // the launcher's Main does, so all log lines look alike.
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
    }
  }

  private final BenchmarkOptions options;
  private final PrintStream out;
  private final Progress progress;
  private final SuiteReport report;
  /** The cores each variant kept busy, per run (warm-ups included), for the report. */
  private final Map<IngestVariant, List<Double>> cores = new EnumMap<>(IngestVariant.class);

  IngestBenchmark(BenchmarkOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.progress = new Progress(out);
    this.report = new SuiteReport(IngestFigures.SUITE, "Ingest benchmark", options.plan().smoke());
  }

  public static void main(String[] args) throws Exception {
    BenchmarkOptions options = Program.optionsOrExit(args, BenchmarkOptions::parse);
    int status = new IngestBenchmark(options, System.out).run();
    // Kafka's and Vert.x's leftover non-daemon threads must not keep a finished benchmark alive.
    System.exit(status);
  }

  /**
   * For {@code ./sluice bench}: one run with these command-line arguments, its table printed to {@code out} as
   * usual; returns every ratio it defines, with its target.
   *
   * @throws IllegalArgumentException for bad arguments
   * @throws IllegalStateException when the run could not finish
   */
  public static List<Ratio> ratios(String[] args, PrintStream out) throws Exception {
    IngestBenchmark benchmark = new IngestBenchmark(BenchmarkOptions.parse(args), out);
    if (benchmark.run() != 0) {
      throw new IllegalStateException("the ingest benchmark could not finish (see above)");
    }
    return benchmark.report.ratios();
  }

  /** @return 0 when every phase ran (whatever the verdicts), 1 when the run itself failed */
  int run() throws Exception {
    Path dataDir = Files.createTempDirectory("sluice-ingest-benchmark-");
    describeSetting();
    // Before anything else starts: see JfrProfile.
    JfrProfile profile = options.profile().isPresent() ? JfrProfile.start(options.profile().get()) : null;
    try {
      measureAll(dataDir);
      if (profile != null) {
        summarize(profile.stop());
      }
    } catch (RuntimeException e) {
      out.println();
      out.println("The benchmark could not finish: " + e.getMessage());
      e.printStackTrace(out);
      return 1;
    } finally {
      if (profile != null) {
        profile.close();
      }
      DataDirs.wipe(dataDir);
    }
    String markdown = report.markdown();
    out.println();
    out.println(markdown);
    Path file = options.out().orElseGet(IngestBenchmark::defaultReportFile);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, markdown, StandardCharsets.UTF_8);
    out.println("Written to " + file.toAbsolutePath());
    return 0;
  }

  private void describeSetting() {
    Runtime rt = Runtime.getRuntime();
    String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
    report.setting(String.format("One JVM on %d cores runs everything: the Kafka broker (embedded KRaft, single node), "
        + "the gateways, the bare handler and the load generators; figures compare with each other, not with a "
        + "dedicated cluster.", rt.availableProcessors()));
    report.setting(String.format("Java %s, max heap %d MiB, GC %s; run at %s.", Runtime.version(),
        rt.maxMemory() / (1024 * 1024), gcs, Instant.now().truncatedTo(ChronoUnit.SECONDS)));
    report.setting(String.format("Each run of a throughput variant: %.1f s ramp, then %d s measured; (e): %d s "
            + "warm-up, then %d s measured. Events: retail.product.created CloudEvents, %d-byte data, unique "
            + "(source, id); requests carry Authorization: Bearer %s.", options.ramp().toMillis() / 1000.0,
        options.run().toSeconds(), options.latencyWarmup().toSeconds(), options.latency().toSeconds(),
        options.eventBytes(), options.apiKey()));
    report.setting(String.format("Load generator: Vert.x HTTP client on 2 event loops, %d keep-alive connections for "
        + "single events and latency, %d for batches of %d.", options.connections(), options.batchConnections(),
        options.batchSize()));
    if (!options.gatewayConfig().isEmpty()) {
      report.setting("Extra gateway config: " + options.gatewayConfig());
    }
    out.println("Sluice ingest benchmark" + (options.plan().smoke() ? " (--quick: a smoke test, not judged)" : ""));
    options.gatewayConfig().forEach((k, v) -> out.println("  gateway config " + k + "=" + v));
    out.println("  Broker, gateways, bare handler and load generators all run in THIS JVM, on "
        + rt.availableProcessors() + " cores: they compete for the same CPU.");
  }

  private void measureAll(Path dataDir) throws Exception {
    int[] ports = LoopbackPorts.free(2);
    progress.phase("start", "Kafka broker on 127.0.0.1:" + ports[0] + " (controller " + ports[1] + "), data in "
        + dataDir);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, ports[0], ports[1])) {
      Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
      EventLoopRoles.mark(clientVertx, CpuAttribution.Part.GENERATOR);
      try (GatewayUnderTest gateway =
          GatewayUnderTest.start(kafka.bootstrapServers(), options.gatewayConfig())) {
        measureWith(gateway, clientVertx);
      } finally {
        Progress.await(clientVertx.close(), 30);
      }
    }
  }

  private void measureWith(GatewayUnderTest gateway, Vertx clientVertx) throws Exception {
    ProductEvents events = new ProductEvents(UUID.randomUUID().toString().substring(0, 8), options.eventBytes(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    GatewayProbes probes = new GatewayProbes(clientVertx, events);
    HttpTarget validating = new HttpTarget("gateway", gateway.port(), options.apiKey());
    progress.done("gateway (validation on) on 127.0.0.1:" + gateway.port() + ", " + gateway.instances()
        + " verticle instance(s)");
    probes.requireAccepted(validating);
    String batchProblem = probes.batchSupport(validating);
    if (batchProblem != null) {
      progress.note(batchProblem);
    }

    // Validation off (d): the same gateway, events of the twin type whose schema is {} (see GatewayUnderTest), as
    // long as the real ones and with ids of their own.
    ProductEvents unchecked = events.twin(GatewayUnderTest.UNCHECKED_TYPE);
    String validationProblem = probes.validationDiffers(validating, unchecked);
    if (validationProblem != null) {
      progress.note(validationProblem);
    }

    Map<IngestVariant, ClosedLoad> loads = new EnumMap<>(IngestVariant.class);
    try (BareServer bare = BareServer.start(gateway.instances());
        RawProducerLoad raw = new RawProducerLoad(gateway.kafkaClientProps(), ProductEvents.STREAM, events,
            gateway.instances())) {
      loads.putAll(httpLoads(clientVertx, validating, events, validationProblem == null ? unchecked : null,
          new HttpTarget("bare", bare.port(), options.apiKey()), batchProblem == null));
      progress.done(String.format("raw producer(s): %d, as the gateway's instances; bare handler on 127.0.0.1:%d",
          raw.producers(), bare.port()));

      Results results = rounds(raw, loads);
      report.method(results);

      // (e) Latency at a fixed fraction of the single-event maximum, heap watched meanwhile.
      double rate = Math.max(1, options.latencyLoad() * results.rate(IngestVariant.SINGLE_ON.label()).median());
      HeapWatch heap = HeapWatch.start();
      PacedLoad.Result latency = new PacedLoad(clientVertx, progress).run(
          String.format("(e) gateway latency at %.0f %% of (c)", options.latencyLoad() * 100), validating,
          ProductEvents.STRUCTURED, events::structured, rate, options.connections(), options.latencyWarmup(),
          options.latency());
      HeapWatch.Summary memory = heap.stop();

      Map<IngestVariant, StatusCounts> answers = new EnumMap<>(IngestVariant.class);
      loads.forEach((v, load) -> answers.put(v, load.answers()));
      new IngestFigures(options, results, cores, answers, raw.producers(), raw.failures(), latency, memory,
          validationProblem, batchProblem).addTo(report);
    } finally {
      loads.values().forEach(ClosedLoad::close);
    }
  }

  /** Every throughput variant that can run, warmed up until settled, then in interleaved rounds. */
  private Results rounds(RawProducerLoad raw, Map<IngestVariant, ClosedLoad> loads) throws Exception {
    Rounds rounds = new Rounds(options.plan(), progress::note);
    for (IngestVariant v : IngestVariant.values()) {
      if (v == IngestVariant.RAW) {
        rounds.variant(v.label(), reporting(v, () -> raw.run(options.ramp(), options.run())));
      } else if (loads.containsKey(v)) {
        ClosedLoad load = loads.get(v);
        rounds.variant(v.label(), reporting(v, () -> load.run(options.ramp(), options.run())));
      }
    }
    return rounds.run();
  }

  /**
   * The trial, printing its rate and the cores it kept busy when done, and keeping the latter for the report; marked
   * in a JFR recording, if one runs, as one run of the variant.
   */
  private Trial reporting(IngestVariant v, Callable<Double> run) {
    return () -> {
      IngestRunEvent event = new IngestRunEvent(v.label());
      event.begin();
      CpuUse.Measured<Double> m = CpuUse.during(run);
      event.commit();
      progress.done(String.format("%s: %,.0f %s, %.2f cores busy", v.label(), m.result(), v.unit(), m.cores()));
      cores.computeIfAbsent(v, k -> new ArrayList<>()).add(m.cores());
      return m.result();
    };
  }

  /**
   * The HTTP variants' loads: those that can run (no (d) without a working unchecked twin, say). Validation on and
   * off post to the same gateway; off posts the twin type's events.
   */
  private Map<IngestVariant, ClosedLoad> httpLoads(Vertx vertx, HttpTarget gateway, ProductEvents events,
      ProductEvents unchecked, HttpTarget bare, boolean batches) {
    Map<IngestVariant, ClosedLoad> loads = new EnumMap<>(IngestVariant.class);
    if (batches) {
      loads.put(IngestVariant.BATCH_ON, batchLoad(vertx, gateway, events));
      if (unchecked != null) {
        loads.put(IngestVariant.BATCH_OFF, batchLoad(vertx, gateway, unchecked));
      }
    }
    if (unchecked != null) {
      loads.put(IngestVariant.SINGLE_OFF, singleLoad(vertx, gateway, unchecked));
    }
    loads.put(IngestVariant.SINGLE_ON, singleLoad(vertx, gateway, events));
    loads.put(IngestVariant.BARE, singleLoad(vertx, bare, events));
    return loads;
  }

  private ClosedLoad batchLoad(Vertx vertx, HttpTarget target, ProductEvents events) {
    return new ClosedLoad(vertx, target, ProductEvents.BATCH, options.batchSize(),
        () -> events.batch(options.batchSize()), options.batchConnections());
  }

  private ClosedLoad singleLoad(Vertx vertx, HttpTarget target, ProductEvents events) {
    return new ClosedLoad(vertx, target, ProductEvents.STRUCTURED, 1, events::structured, options.connections());
  }

  /** Where the CPU went during the rounds of single-event ingest (c), from the recording: printed and noted. */
  private void summarize(Path recording) throws IOException {
    String summary = ProfileSummary.read(recording, IngestVariant.SINGLE_ON.label(), options.plan().rounds())
        .markdown();
    out.println();
    out.println(summary);
    report.note("JFR recording of the whole run (--profile): " + recording.toAbsolutePath() + "; where the CPU went "
        + "during the rounds of " + IngestVariant.SINGLE_ON.label() + " is printed above the table (or run "
        + "ProfileSummary on the file).");
  }

  /** {@code load-tests/target/ingest-benchmark.md}, found from where this class was loaded. */
  private static Path defaultReportFile() {
    return Program.inTarget(IngestBenchmark.class, "ingest-benchmark.md").orElse(Path.of("ingest-benchmark.md"));
  }
}
