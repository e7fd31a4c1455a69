package dev.sluice.loadtests.ingest;

import dev.sluice.deploy.engine.EmbeddedKafka;
import dev.sluice.loadtests.harness.LoopbackPorts;
import dev.sluice.loadtests.harness.Program;
import dev.sluice.loadtests.harness.Progress;
import dev.sluice.loadtests.ingest.HttpTarget.Answer;
import dev.sluice.loadtests.report.Ratio;
import dev.sluice.loadtests.report.SuiteReport.Verdict;
import dev.sluice.loadtests.report.SuiteReport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The ingest benchmark: one command, one JVM, one run, every figure side by side.
 *
 * <p>It starts a real single-node Kafka broker (embedded KRaft, in a temporary directory, free ports on 127.0.0.1),
 * the gateway through the launcher as {@code ./sluice gateway} does, and a load generator, then measures in turn:
 *
 * <ol>
 *   <li>(a) raw Kafka producer records/s: the baseline;
 *   <li>(c) a bare Vert.x handler answering 202, then the gateway, one event per request on keep-alive connections;
 *   <li>(d) the same against a gateway whose schema accepts anything ("validation off");
 *   <li>(b) batches of 100 events per request, validation on, then off;
 *   <li>(e) ack latency at half the single-event maximum, open model, with the heap watched meanwhile.
 * </ol>
 *
 * <p>The broker, the gateways and the generator share this JVM and this machine's cores, as the report says: the
 * figures compare with each other, not with a dedicated cluster. Each phase is a warm-up and a fixed measurement, so
 * the run ends by itself (under three minutes with the defaults). The table is printed and written as Markdown.
 *
 * <p>Reproduce from the repository root:
 *
 * <pre>
 * ./mvnw -B -q -o -pl load-tests -am package -DskipTests
 * java -cp "load-tests/target/classes:$(cat load-tests/target/classpath.txt)" \
 *     dev.sluice.loadtests.ingest.IngestBenchmark [--phase-seconds N] [--help]
 * </pre>
 */
public final class IngestBenchmark {
  private static final double BATCH_TARGET = 0.6;
  private static final double SINGLE_TARGET = 0.5;
  private static final double VALIDATION_COST_TARGET = 0.25;

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
  private final SuiteReport report = new SuiteReport("ingest", "Ingest benchmark", false);
  /** The same figures as data, for {@code ./sluice bench}. */
  private final List<Ratio> ratios = new ArrayList<>();

  IngestBenchmark(BenchmarkOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.progress = new Progress(out);
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
    return List.copyOf(benchmark.ratios);
  }

  /** @return 0 when every phase ran (whatever the verdicts), 1 when the run itself failed */
  int run() throws Exception {
    Path dataDir = Files.createTempDirectory("sluice-ingest-benchmark-");
    describeSetting();
    try {
      measureAll(dataDir);
    } catch (RuntimeException e) {
      out.println();
      out.println("The benchmark could not finish: " + e.getMessage());
      e.printStackTrace(out);
      return 1;
    } finally {
      deleteRecursively(dataDir);
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
        + "the gateway(s), the bare handler and the load generator; figures compare with each other, not with a "
        + "dedicated cluster.", rt.availableProcessors()));
    report.setting(String.format("Java %s, max heap %d MiB, GC %s; run at %s.", Runtime.version(),
        rt.maxMemory() / (1024 * 1024), gcs, Instant.now().truncatedTo(ChronoUnit.SECONDS)));
    report.setting(String.format("Each phase: %d s warm-up, then %d s measured. Events: retail.product.created "
        + "CloudEvents, %d-byte data, unique (source, id); requests carry Authorization: Bearer %s.",
        options.warmup().toSeconds(), options.measure().toSeconds(), options.eventBytes(), options.apiKey()));
    report.setting(String.format("Load generator: Vert.x HTTP client on 2 event loops, %d keep-alive connections for "
        + "single events and latency, %d for batches of %d.", options.connections(), options.batchConnections(),
        options.batchSize()));
    if (!options.gatewayConfig().isEmpty()) {
      report.setting("Extra gateway config: " + options.gatewayConfig());
    }
    out.println("Sluice ingest benchmark");
    options.gatewayConfig().forEach((k, v) -> out.println("  gateway config " + k + "=" + v));
    out.println("  Broker, gateway(s), bare handler and load generator all run in THIS JVM, on "
        + rt.availableProcessors() + " cores: they compete for the same CPU.");
  }

  /** The run with the higher throughput. */
  private static ClosedLoad.Result better(ClosedLoad.Result a, ClosedLoad.Result b) {
    return b.eventsPerSecond() > a.eventsPerSecond() ? b : a;
  }

  private void measureAll(Path dataDir) throws Exception {
    int[] ports = LoopbackPorts.free(2);
    progress.phase("start", "Kafka broker on 127.0.0.1:" + ports[0] + " (controller " + ports[1] + "), data in "
        + dataDir);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, ports[0], ports[1])) {
      Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
      try (GatewayUnderTest gateway =
          GatewayUnderTest.start(kafka.bootstrapServers(), true, options.gatewayConfig())) {
        measureWith(kafka, gateway, clientVertx);
      } finally {
        Progress.await(clientVertx.close(), 30);
      }
    }
  }

  private void measureWith(EmbeddedKafka kafka, GatewayUnderTest gateway, Vertx clientVertx) throws Exception {
    ProductEvents events = new ProductEvents(UUID.randomUUID().toString().substring(0, 8), options.eventBytes(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    HttpTarget validating = new HttpTarget("gateway", gateway.port(), options.apiKey());
    progress.done("gateway (validation on) on 127.0.0.1:" + gateway.port());
    requireAccepted(clientVertx, validating, events);

    ClosedLoad closed = new ClosedLoad(clientVertx, progress);
    var warmup = options.warmup();
    var measure = options.measure();

    // (a) The baseline.
    RawProducerLoad.Result raw =
        new RawProducerLoad(progress).run(kafka.bootstrapServers(), ProductEvents.STREAM, events, warmup, measure);

    // (c) Single events: the bare handler, then the gateway, then (d) the gateway without validation.
    ClosedLoad.Result bare;
    try (BareServer server = BareServer.start()) {
      bare = closed.run("(c) bare Vert.x handler", new HttpTarget("bare", server.port(), options.apiKey()),
          ProductEvents.STRUCTURED, 1, events::structured, options.connections(), warmup, measure);
    }
    ClosedLoad.Result single = closed.run("(c) gateway, single events, validation on", validating,
        ProductEvents.STRUCTURED, 1, events::structured, options.connections(), warmup, measure);

    progress.phase("start", "a second gateway whose retail.product.created schema is {} (validation off)");
    GatewayUnderTest permissive = null;
    String permissiveProblem = null;
    try {
      permissive = GatewayUnderTest.start(kafka.bootstrapServers(), false, options.gatewayConfig());
    } catch (RuntimeException e) {
      permissiveProblem = "the gateway without validation did not start (" + e.getMessage() + "), so (d) was not "
          + "measured";
      progress.note(permissiveProblem);
    }
    ClosedLoad.Result singleOff = null;
    ClosedLoad.Result batch = null;
    ClosedLoad.Result batchOff = null;
    String batchProblem;
    try {
      HttpTarget off = null;
      if (permissive != null) {
        off = new HttpTarget("gateway-no-validation", permissive.port(), options.apiKey());
        permissiveProblem = checkValidationDiffers(clientVertx, validating, off, events);
      }
      if (permissiveProblem == null) {
        singleOff = closed.run("(d) gateway, single events, validation off", off, ProductEvents.STRUCTURED, 1,
            events::structured, options.connections(), warmup, measure);
        // On, off, on again, and the better of the two "on" runs: whichever side runs later profits from a warmer
        // JVM and broker, and that order bias was larger than what validation costs.
        single = better(single, closed.run("(c) gateway, single events, validation on (again)", validating,
            ProductEvents.STRUCTURED, 1, events::structured, options.connections(), warmup, measure));
      } else {
        progress.note(permissiveProblem);
      }

      // (b) Batches, validation on, then off.
      batchProblem = batchSupport(clientVertx, validating, events);
      if (batchProblem == null) {
        batch = closed.run("(b) gateway, batches of " + options.batchSize() + ", validation on", validating,
            ProductEvents.BATCH, options.batchSize(), () -> events.batch(options.batchSize()),
            options.batchConnections(), warmup, measure);
        if (permissiveProblem == null) {
          batchOff = closed.run("(d) gateway, batches of " + options.batchSize() + ", validation off", off,
              ProductEvents.BATCH, options.batchSize(), () -> events.batch(options.batchSize()),
              options.batchConnections(), warmup, measure);
          batch = better(batch, closed.run("(b) gateway, batches of " + options.batchSize()
              + ", validation on (again)", validating, ProductEvents.BATCH, options.batchSize(),
              () -> events.batch(options.batchSize()), options.batchConnections(), warmup, measure));
        }
      } else {
        progress.note(batchProblem);
      }
    } finally {
      if (permissive != null) {
        permissive.close();
      }
    }

    // (e) Latency at a fixed fraction of the single-event maximum, heap watched meanwhile.
    double rate = Math.max(1, options.latencyLoad() * single.eventsPerSecond());
    HeapWatch heap = HeapWatch.start();
    PacedLoad.Result latency = new PacedLoad(clientVertx, progress).run(
        String.format("(e) gateway latency at %.0f %% of (c)", options.latencyLoad() * 100), validating,
        ProductEvents.STRUCTURED, events::structured, rate, options.connections(), warmup, measure);
    HeapWatch.Summary memory = heap.stop();

    tabulate(raw, bare, single, singleOff, batch, batchOff, latency, memory, permissiveProblem, batchProblem);
  }

  private void tabulate(RawProducerLoad.Result raw, ClosedLoad.Result bare, ClosedLoad.Result single,
      ClosedLoad.Result singleOff, ClosedLoad.Result batch, ClosedLoad.Result batchOff, PacedLoad.Result latency,
      HeapWatch.Summary memory, String permissiveProblem, String batchProblem) {
    report.row("(a) Raw Kafka producer: plain KafkaProducer loop, acks=all, idempotent, same records and topic",
        rate(raw.recordsPerSecond(), "records/s"), "1.00", "the baseline", Verdict.BASELINE);
    if (batch != null) {
      double r = batch.eventsPerSecond() / raw.recordsPerSecond();
      report.row("(b) Batch ingest: " + options.batchSize() + " events per request, validation on",
          rate(batch.eventsPerSecond(), "events/s"), ratio(r) + " of (a)", ">= " + BATCH_TARGET + " of (a)",
          Verdict.of(r >= BATCH_TARGET));
      ratios.add(Ratio.atLeast("ingest", "(b) batch ingest / raw Kafka producer", r, BATCH_TARGET,
          rate(batch.eventsPerSecond(), "events/s") + " vs " + rate(raw.recordsPerSecond(), "records/s")));
    } else {
      report.row("(b) Batch ingest: " + options.batchSize() + " events per request, validation on", "-", "-",
          ">= " + BATCH_TARGET + " of (a)", Verdict.NOT_MEASURED);
      ratios.add(Ratio.atLeast("ingest", "(b) batch ingest / raw Kafka producer", Double.NaN, BATCH_TARGET,
          "not measured"));
      report.note("(b): " + batchProblem);
    }
    report.row("(c) Bare Vert.x handler: reads the POST, answers 202", rate(bare.eventsPerSecond(), "requests/s"),
        "1.00", "reference for (c)", Verdict.BASELINE);
    double singleRatio = single.eventsPerSecond() / bare.eventsPerSecond();
    report.row("(c) Single-event ingest: one event per request, keep-alive", rate(single.eventsPerSecond(),
        "events/s"), ratio(singleRatio) + " of bare", ">= " + SINGLE_TARGET + " of bare",
        Verdict.of(singleRatio >= SINGLE_TARGET));
    ratios.add(Ratio.atLeast("ingest", "(c) single-event ingest / bare Vert.x handler", singleRatio, SINGLE_TARGET,
        rate(single.eventsPerSecond(), "events/s") + " vs " + rate(bare.eventsPerSecond(), "requests/s")));
    ratios.add(Ratio.reported("ingest", "(c) single-event ingest, events/s", single.eventsPerSecond(),
        options.connections() + " keep-alive connections"));
    validationRow("single events", single, singleOff, permissiveProblem);
    if (batch != null) {
      validationRow("batches", batch, batchOff, permissiveProblem);
    }
    Percentiles l = latency.latencies();
    report.row(String.format("(e) Ack latency at %.0f %% of (c)'s maximum, open model, from scheduled send time",
            options.latencyLoad() * 100),
        String.format("p50 %s, p99 %s (p99.9 %s, max %s); %,.0f requests/s offered, %,.0f accepted/s",
            millis(l.percentile(50)), millis(l.percentile(99)), millis(l.percentile(99.9)), millis(l.max()),
            latency.offeredPerSecond(), latency.acceptedPerSecond()),
        "-", "reported", Verdict.REPORTED);
    ratios.add(Ratio.reported("ingest", String.format("(e) ack latency p99 (ms) at %.0f %% of (c)",
        options.latencyLoad() * 100), l.percentile(99) / 1e6, "p50 " + millis(l.percentile(50))));
    HeapWatch.Series used = memory.usedMb();
    HeapWatch.Series afterGc = memory.afterGcMb();
    report.row("Memory: heap during (e)'s sustained load (whole JVM: broker, gateway and generator)",
        String.format("in use (every %d ms): start %d, end %d, max %d MiB; after each of %d GCs: first %d, last %d, "
            + "max %d MiB; live after full GC: %d before, %d after", HeapWatch.SAMPLE_MS, used.first(), used.last(),
            used.max(), afterGc.count(), afterGc.first(), afterGc.last(), afterGc.max(), memory.liveBeforeMb(),
            memory.liveAfterMb()),
        "-", "stays flat (live growth <= max(32 MiB, 25 %))", Verdict.of(memory.flat()));
    // The same criterion as flat(), as a ratio: live growth over what is allowed.
    ratios.add(Ratio.atMost("ingest", "memory: live heap growth / allowance (max 32 MiB, 25 %)",
        (double) (memory.liveAfterMb() - memory.liveBeforeMb()) / Math.max(32, memory.liveBeforeMb() / 4), 1.0,
        String.format("live %d -> %d MiB", memory.liveBeforeMb(), memory.liveAfterMb())));

    note("(a)", raw.failed() == 0 ? "" : raw.failed() + " sends failed, first: " + raw.firstFailure());
    answersNote(bare);
    answersNote(single);
    if (singleOff != null) {
      answersNote(singleOff);
    }
    if (batch != null) {
      answersNote(batch);
    }
    if (batchOff != null) {
      answersNote(batchOff);
    }
    if (latency.answers().notAccepted() > 0 || latency.unanswered() > 0) {
      note("(e)", "answers " + latency.answers().describe() + (latency.unanswered() > 0
          ? "; " + latency.unanswered() + " requests unanswered, counted with the time waited" : ""));
    }
    report.note("(d) is measured against a second gateway, identical but for its retail.product.created schema, "
        + "which is {} (accepts anything): data is still parsed and keyed, only the schema check is gone. "
        + "Cost = 1 - on/off.");
    report.note("Throughput phases are closed-model (each connection waits for its answer before the next "
        + "request); only 2xx answers count. Latency (e) is open-model: requests are due on a fixed schedule and "
        + "timed from their due time, so queueing is not hidden (coordinated omission).");
  }

  private void validationRow(String what, ClosedLoad.Result on, ClosedLoad.Result off, String problem) {
    String figure = "(d) Validation cost, " + what + ": throughput with validation on vs off";
    if (off == null) {
      report.row(figure, "-", "-", "<= 25 % cost", Verdict.NOT_MEASURED);
      ratios.add(Ratio.atMost("ingest", "(d) validation cost, " + what + " (1 - on/off)", Double.NaN,
          VALIDATION_COST_TARGET, "not measured"));
      if (problem != null) {
        report.note("(d): " + problem);
      }
      return;
    }
    double cost = 1 - on.eventsPerSecond() / off.eventsPerSecond();
    report.row(figure, String.format("on %,.0f vs off %,.0f events/s", on.eventsPerSecond(), off.eventsPerSecond()),
        String.format("cost %.0f %%", cost * 100), "<= 25 % cost", Verdict.of(cost <= VALIDATION_COST_TARGET));
    ratios.add(Ratio.atMost("ingest", "(d) validation cost, " + what + " (1 - on/off)", cost,
        VALIDATION_COST_TARGET, String.format("on %,.0f vs off %,.0f events/s", on.eventsPerSecond(),
            off.eventsPerSecond())));
  }

  private void answersNote(ClosedLoad.Result r) {
    if (r.answers().notAccepted() > 0) {
      note(r.label(), "answers " + r.answers().describe());
    }
  }

  private void note(String label, String text) {
    if (!text.isEmpty()) {
      report.note(label + ": " + text);
    }
  }

  /**
   * Null when the two gateways differ exactly by validation: an event without the required {@code brand} is refused
   * with 422 by the validating one and accepted by the other (both checked after both started, in case they share
   * registry state through the broker); else why (d) cannot be measured.
   */
  private String checkValidationDiffers(Vertx vertx, HttpTarget validating, HttpTarget off, ProductEvents events) {
    Answer offValid = probe(vertx, off, ProductEvents.STRUCTURED, events.structured());
    Answer offInvalid = probe(vertx, off, ProductEvents.STRUCTURED, events.invalidStructured());
    Answer onInvalid = probe(vertx, validating, ProductEvents.STRUCTURED, events.invalidStructured());
    if (offValid.accepted() && offInvalid.accepted() && onInvalid.status() == 422) {
      return null;
    }
    return "the two gateways do not differ by validation alone (a valid event got " + offValid.status()
        + " from the one without validation; an event without brand got " + offInvalid.status() + " from it and "
        + onInvalid.status() + " from the validating one; expected 2xx, 2xx and 422), so (d) was not measured";
  }

  /** Null when the gateway takes a batch as issue 3 specifies (202 with one result per event), else why not. */
  private String batchSupport(Vertx vertx, HttpTarget target, ProductEvents events) {
    Answer a = probe(vertx, target, ProductEvents.BATCH, events.batch(2));
    if (a.status() != 202) {
      return "the gateway answered " + a.status() + " to a batch of 2 valid events (Content-Type "
          + ProductEvents.BATCH + "); expected 202, so batches were not measured";
    }
    try {
      JsonArray results = new JsonObject(a.body()).getJsonArray("results");
      if (results == null || results.size() != 2) {
        return "the gateway's 202 to a batch of 2 did not list 2 results: " + a.body();
      }
    } catch (RuntimeException e) {
      return "the gateway's 202 to a batch was not {\"results\":[...]}: " + a.body();
    }
    return null;
  }

  private void requireAccepted(Vertx vertx, HttpTarget target, ProductEvents events) {
    Answer a = probe(vertx, target, ProductEvents.STRUCTURED, events.structured());
    if (!a.accepted()) {
      throw new IllegalStateException(target.name() + " refused a valid event with " + a.status() + ": " + a.body()
          + (a.status() == 401 || a.status() == 403
              ? " (pass the API key with --api-key, or configure it with --set sluice....=...)" : ""));
    }
  }

  private static Answer probe(Vertx vertx, HttpTarget target, String contentType, String body) {
    HttpClientAgent client = vertx.createHttpClient();
    try {
      return Progress.await(target.post(client, contentType, body), 60);
    } finally {
      Progress.await(client.close(), 10);
    }
  }

  private static String rate(double perSecond, String unit) {
    return String.format("%,.0f %s", perSecond, unit);
  }

  private static String ratio(double r) {
    return String.format("%.2f", r);
  }

  private static String millis(long nanos) {
    return String.format("%.1f ms", nanos / 1e6);
  }

  /** {@code load-tests/target/ingest-benchmark.md}, found from where this class was loaded. */
  private static Path defaultReportFile() {
    return Program.inTarget(IngestBenchmark.class, "ingest-benchmark.md").orElse(Path.of("ingest-benchmark.md"));
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
