package dev.sluice.loadtests.sealing;

import static dev.sluice.loadtests.sealing.SealingFigures.GRANTED;
import static dev.sluice.loadtests.sealing.SealingFigures.KNOWN_COLD;
import static dev.sluice.loadtests.sealing.SealingFigures.NEW_SUBJECT;
import static dev.sluice.loadtests.sealing.SealingFigures.PLAIN_BATCHES;
import static dev.sluice.loadtests.sealing.SealingFigures.PLAIN_READ;
import static dev.sluice.loadtests.sealing.SealingFigures.SEALED_BATCHES;
import static dev.sluice.loadtests.sealing.SealingFigures.WARM_SINGLE;

import dev.sluice.crypto.keys.KeyRing;
import dev.sluice.crypto.keys.SubjectRef;
import dev.sluice.crypto.keys.SubjectState;
import dev.sluice.deploy.engine.DataDirs;
import dev.sluice.loadtests.consumer.Prefill;
import dev.sluice.loadtests.consumer.RunMeter;
import dev.sluice.loadtests.consumer.WrapperFactory;
import dev.sluice.loadtests.harness.EmbeddedStack;
import dev.sluice.loadtests.harness.Program;
import dev.sluice.loadtests.harness.Progress;
import dev.sluice.loadtests.ingest.ClosedLoad;
import dev.sluice.loadtests.ingest.HttpTarget;
import dev.sluice.loadtests.method.Results;
import dev.sluice.loadtests.method.Rounds;
import dev.sluice.loadtests.report.Ratio;
import dev.sluice.loadtests.report.SuiteReport;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.quarantine.store.QuarantineTable;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * What sealing values marked sensitive costs, measured side by side in one run against real engines in this JVM on
 * 127.0.0.1 (Kafka, DynamoDB Local holding the key table, ElasticMQ), with the shared method ({@link Rounds}) for each
 * of its three parts:
 *
 * <ol>
 *   <li>Batch ingest through the gateway (started as {@code ./sluice gateway} starts one, with a key ring on a local
 *       KEK): about 1 KB events with three marked values, 10,000 data subjects in turn, every subject's key made and
 *       cached before timing; against the same events of the same type without its marks, on the same gateway and
 *       stream.
 *   <li>The consumer wrapper of a group granted the keys ({@code unsealWith}, cache warm) reading sealed records,
 *       against the wrapper reading the same data unsealed.
 *   <li>The cost of a subject's first event, reported: single events one after the other for a warm subject, a new
 *       one (its key made) and one whose key exists but is not in the gateway's cache (read and unwrapped).
 * </ol>
 *
 * <pre>
 * ./mvnw -B -q -o -pl load-tests -am package -DskipTests
 * java -cp "load-tests/target/classes:$(cat load-tests/target/classpath.txt)" \
 *     dev.sluice.loadtests.sealing.SealingBenchmark [--quick] [--rounds N] [--run-seconds N] [--help]
 * </pre>
 *
 * Writes the table to stdout and to {@code load-tests/target/sealing-benchmark.md}.
 */
public final class SealingBenchmark {
  static {
    // Before anything touches java.util.logging: the gateway logs through System.Logger (JUL); route it to log4j2 as
    // the launcher's Main does.
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
    }
  }

  /** The gateway's stream, carrying both types. */
  static final String STREAM = "customers";
  /** The consumer's topics (each its stream's name): sealed records, and the same data of the unmarked type. */
  static final String READ_SEALED = "customers-read-sealed";
  static final String READ_PLAIN = "customers-read-plain";
  /** Batches of first events in flight while the gateway's keys are made: its ring makes 16 keys at once. */
  private static final int WARMING_BATCHES = 4;

  private final SealingOptions options;
  private final Progress progress;

  private SealingBenchmark(SealingOptions options, PrintStream out) {
    this.options = options;
    this.progress = new Progress(out);
  }

  public static void main(String[] args) throws Exception {
    SealingOptions options = Program.optionsOrExit(args, SealingOptions::wantsHelp, SealingOptions.USAGE,
        SealingOptions::parse);
    new SealingBenchmark(options, System.out).run()
        .publish(System.out, SealingBenchmark.class, "sealing-benchmark.md");
    // Kafka's, DynamoDB Local's and Vert.x's leftover non-daemon threads must not keep the JVM alive.
    System.exit(0);
  }

  /** For {@code ./sluice bench}: one run, its table printed to {@code out}; returns its ratios with their targets. */
  public static List<Ratio> ratios(String[] args, PrintStream out) throws Exception {
    SuiteReport report = new SealingBenchmark(SealingOptions.parse(args), out).run();
    report.publish(out, SealingBenchmark.class, "sealing-benchmark.md");
    return report.ratios();
  }

  private SuiteReport run() throws Exception {
    Path kekDir = Files.createTempDirectory("sluice-sealing-kek");
    try (EmbeddedStack stack = EmbeddedStack.start("sluice-sealing-bench", progress)) {
      progress.phase("start", "the gateway with a key ring (key table in DynamoDB Local, KEK in " + kekDir + ")");
      try (SealingGateway gateway = SealingGateway.start(stack, kekDir.resolve("kek.json"));
          // The suite's own ring on the same table and KEK, with a cache of its own: another process, as far as the
          // gateway's cache is concerned. It grants the consumer, seals the consumer's records and makes the keys of
          // (3)'s known subjects.
          KeyRing ring = KeyRing.onDynamo(stack.vertx(), stack.dynamo(), gateway.crypto(), Clock.systemUTC())) {
        gateway.register(STREAM);
        progress.done(String.format("gateway on 127.0.0.1:%d, %d verticle instance(s); %s and %s registered on "
            + "stream %s", gateway.port(), gateway.instances(), CustomerTypes.SEALED, CustomerTypes.PLAIN, STREAM));
        return measure(stack, gateway, ring);
      }
    } finally {
      DataDirs.wipe(kekDir);
    }
  }

  private SuiteReport measure(EmbeddedStack stack, SealingGateway gateway, KeyRing ring) throws Exception {
    CustomerEvents events = new CustomerEvents(UUID.randomUUID().toString().substring(0, 8),
        SealingOptions.EVENT_BYTES, options.subjects(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    HttpTarget target = new HttpTarget("gateway", gateway.port(), SealingOptions.PRODUCER_KEY, STREAM);
    Vertx client = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    List<String> notes = new ArrayList<>();
    try (SequentialPosts single = new SequentialPosts(client, target)) {
      warmGatewayKeys(client, target, events);
      probe(single, events, ring);
      ClosedLoad sealed = batches(client, target, events, CustomerTypes.SEALED);
      ClosedLoad plain = batches(client, target, events, CustomerTypes.PLAIN);
      Results ingest;
      try {
        progress.phase("(1) batch ingest", "sealed vs encryption off, warm-ups then interleaved rounds");
        ingest = new Rounds(options.plan(), progress::note)
            .variant(SEALED_BATCHES, () -> rated(SEALED_BATCHES, sealed.run(options.ramp(), options.run())))
            .variant(PLAIN_BATCHES, () -> rated(PLAIN_BATCHES, plain.run(options.ramp(), options.run())))
            .run();
        answers(notes, "(1) sealed", sealed.answers().describe(), sealed.answers().notAccepted());
        answers(notes, "(1) encryption off", plain.answers().describe(), plain.answers().notAccepted());
      } finally {
        sealed.close();
        plain.close();
      }
      Results cold = coldRounds(single, events, ring);
      answers(notes, "(3)", single.answers().describe(), single.answers().notAccepted());
      ReadTrials reads = readTrials(stack, ring, events);
      progress.phase("(2) consumer", "the granted wrapper on sealed records vs the wrapper on the same data unsealed");
      Results read = new Rounds(options.plan(), line -> progress.phase(line, ""))
          .variant(GRANTED, reads.granted(READ_SEALED))
          .variant(PLAIN_READ, reads.plain(READ_PLAIN))
          .run();
      notes.addAll(reads.problems().stream().map(p -> "**" + p + "**").toList());
      return report(gateway, new SealingFigures(ingest, read, cold), notes);
    } finally {
      Progress.await(client.close(), 30);
    }
  }

  /**
   * Untimed: one sealed event for every warm subject, in batches of 100, {@value #WARMING_BATCHES} batches at a time,
   * so the gateway makes each subject's key (a read, then a conditional write) and keeps it in its cache before
   * anything is measured. A batch answered otherwise than 202 (a key call slower than its timeout) is sent again.
   */
  private void warmGatewayKeys(Vertx vertx, HttpTarget target, CustomerEvents events) {
    progress.phase("keys", String.format("making the keys of %,d subjects through the gateway (untimed)",
        events.subjects()));
    long t0 = System.nanoTime();
    var http = vertx.createHttpClient();
    try {
      List<Integer> pending = IntStream.iterate(0, i -> i < events.subjects(), i -> i + SealingOptions.BATCH_SIZE)
          .boxed().toList();
      for (int attempt = 0; attempt < 5 && !pending.isEmpty(); attempt++) {
        List<Integer> failed = new ArrayList<>();
        for (int w = 0; w < pending.size(); w += WARMING_BATCHES) {
          List<Integer> window = pending.subList(w, Math.min(pending.size(), w + WARMING_BATCHES));
          List<Future<HttpTarget.Answer>> answers = window.stream().map(from -> target.post(http,
              CustomerEvents.BATCH, events.batchOf(CustomerTypes.SEALED, from,
                  Math.min(events.subjects(), from + SealingOptions.BATCH_SIZE)))).toList();
          // Every answer in, failed or not: the failed batches are sent again below.
          Progress.await(Future.join(answers).otherwiseEmpty(), 120);
          for (int i = 0; i < window.size(); i++) {
            if (answers.get(i).failed() || answers.get(i).result().status() != 202) {
              failed.add(window.get(i));
            }
          }
        }
        pending = failed;
      }
      if (!pending.isEmpty()) {
        throw new IllegalStateException(pending.size() + " batches of subjects' first events were refused five "
            + "times: their keys could not be made");
      }
    } finally {
      Progress.await(http.close(), 10);
    }
    progress.done(String.format("%,d keys made in %.1f s", events.subjects(), (System.nanoTime() - t0) / 1e9));
  }

  /**
   * Checks, before timing, that the two types differ as claimed: every warm subject's key is in the key table (the
   * gateway sealed their events), and a plain event of a new subject makes no key (nothing of it was sealed).
   */
  private void probe(SequentialPosts single, CustomerEvents events, KeyRing ring) {
    for (int i : List.of(0, events.subjects() - 1)) {
      SubjectState state = Progress.await(ring.state(new SubjectRef(STREAM, CustomerEvents.warmSubject(i))), 30);
      if (state.state() != SubjectState.State.ACTIVE) {
        throw new IllegalStateException("subject " + i + " has no key after its sealed event: " + state.state());
      }
    }
    String subject = events.newSubject();
    if (single.run(List.of(events.structuredFor(CustomerTypes.PLAIN, subject))) <= 0) {
      throw new IllegalStateException("the gateway refused a plain event: " + single.answers().describe());
    }
    SubjectState plain = Progress.await(ring.state(new SubjectRef(STREAM, subject)), 30);
    if (plain.state() != SubjectState.State.UNKNOWN) {
      throw new IllegalStateException("a plain event made a key for its subject: the unmarked type seals");
    }
    progress.done("checked: every warm subject has its key; a plain event makes none");
  }

  private ClosedLoad batches(Vertx vertx, HttpTarget target, CustomerEvents events, String type) {
    return new ClosedLoad(vertx, target, CustomerEvents.BATCH, SealingOptions.BATCH_SIZE,
        () -> events.batchWarm(type, SealingOptions.BATCH_SIZE), SealingOptions.BATCH_CONNECTIONS);
  }

  private double rated(String label, double rate) {
    progress.done(String.format("%s: %,.0f events/s", label, rate));
    return rate;
  }

  /**
   * (3): single events one after the other, each variant with subjects of its kind. A known subject's key is made
   * beforehand (untimed) by the suite's own ring, so the gateway finds it in the table but not in its cache.
   */
  private Results coldRounds(SequentialPosts single, CustomerEvents events, KeyRing ring) throws Exception {
    progress.phase("(3) first events", String.format("%d single events per run, one after the other",
        options.coldEvents()));
    int n = options.coldEvents();
    return new Rounds(options.plan(), progress::note)
        .variant(WARM_SINGLE, () -> rated(WARM_SINGLE, single.run(bodies(n,
            () -> events.structuredWarm(CustomerTypes.SEALED)))))
        .variant(NEW_SUBJECT, () -> rated(NEW_SUBJECT, single.run(bodies(n,
            () -> events.structuredFor(CustomerTypes.SEALED, events.newSubject())))))
        .variant(KNOWN_COLD, () -> {
          List<String> subjects = IntStream.range(0, n).mapToObj(i -> events.newSubject()).toList();
          PremadeKeys.make(ring, STREAM, subjects);
          return rated(KNOWN_COLD, single.run(subjects.stream()
              .map(s -> events.structuredFor(CustomerTypes.SEALED, s)).toList()));
        })
        .run();
  }

  private static List<String> bodies(int n, java.util.function.Supplier<String> body) {
    return Stream.generate(body).limit(n).toList();
  }

  /**
   * (2)'s setup, untimed: the quarantine table; both topics filled, {@code readEvents} records each over the warm
   * subjects in turn, the sealed ones sealed with keys the suite's ring made for that stream (so its cache is warm).
   */
  private ReadTrials readTrials(EmbeddedStack stack, KeyRing ring, CustomerEvents events) throws Exception {
    String table = "bench-sealing-quarantine";
    QuarantineTable.ensure(stack.dynamo(), table);
    QuarantineStore store = new QuarantineStore(stack.vertx(), stack.dynamo(), table, Clock.systemUTC());
    SchemaRegistry registry = CustomerTypes.registry(Map.of(READ_SEALED, CustomerTypes.SEALED,
        READ_PLAIN, CustomerTypes.PLAIN));
    progress.phase("(2) pre-fill", String.format("keys of %,d subjects for %s, then %,d records in each of %s and %s",
        events.subjects(), READ_SEALED, options.readEvents(), READ_SEALED, READ_PLAIN));
    long t0 = System.nanoTime();
    PremadeKeys.make(ring, READ_SEALED, IntStream.range(0, events.subjects())
        .mapToObj(CustomerEvents::warmSubject).toList());
    progress.done(String.format("%,d keys made in %.1f s", events.subjects(), (System.nanoTime() - t0) / 1e9));
    Prefill prefill = new Prefill(stack.bootstrap());
    prefill.createTopics(List.of(READ_SEALED, READ_PLAIN), CustomerTypes.PARTITIONS, Map.of());
    CustomerRecords records = new CustomerRecords(registry.state().latest(CustomerTypes.SEALED).orElseThrow().marks(),
        ring, events);
    int subjects = events.subjects();
    Duration sealedTook = prefill.write(options.readEvents(),
        i -> records.sealed(READ_SEALED, (int) (i % subjects)));
    Duration plainTook = prefill.write(options.readEvents(), i -> records.plain(READ_PLAIN, (int) (i % subjects)));
    progress.done(String.format("written in %.1f s (sealed) and %.1f s (plain)", sealedTook.toMillis() / 1e3,
        plainTook.toMillis() / 1e3));
    WrapperFactory wrappers = new WrapperFactory(stack.vertx(), stack.bootstrap(), store, stack.sqs(),
        "bench-sealing", registry);
    return new ReadTrials(new ReadTrials.Parts(wrappers, new RunMeter(stack.vertx(), options.phaseLimit(), progress),
        ring), options.readEvents());
  }

  private static void answers(List<String> notes, String part, String described, long notAccepted) {
    if (notAccepted > 0) {
      notes.add("**" + part + ": " + notAccepted + " answers not accepted** (" + described + "); only accepted events "
          + "count in its rates");
    }
  }

  private SuiteReport report(SealingGateway gateway, SealingFigures figures, List<String> notes) {
    SuiteReport report = new SuiteReport(SealingFigures.SUITE, "Sealing benchmark", options.plan().smoke());
    report.setting(String.format("One JVM on %d cores runs everything: Kafka (embedded KRaft), DynamoDB Local (the "
            + "key table), ElasticMQ, the gateway (as ./sluice gateway starts it, %d verticle instance(s), a key ring "
            + "on a local KEK), the consumer wrapper and the load generators; figures compare with each other",
        Runtime.getRuntime().availableProcessors(), gateway.instances()));
    report.setting(String.format("Events: %s, data of about %,d bytes with 3 values marked sensitive (name, e-mail, "
            + "phone) for the subject its id names; %s is the same schema without the marks, posted with the same "
            + "data to the same stream (%s, %d partitions). %,d data subjects in turn; every subject's key was made "
            + "through the gateway and cached before anything was timed", CustomerTypes.SEALED,
        SealingOptions.EVENT_BYTES, CustomerTypes.PLAIN, STREAM, CustomerTypes.PARTITIONS, options.subjects()));
    report.setting(String.format("Key caches (the gateway's and the suite's ring): TTL %d min and at most %,d keys "
            + "instead of 5 min and 20,000, so the keys made before timing stay warm for the whole suite and (3)'s "
            + "new subjects push none out", SealingGateway.KEY_TTL.toMinutes(), SealingGateway.KEY_CACHE_MAX));
    report.setting(String.format("(1): batches of %d on %d keep-alive connections, each run %.1f s of ramp then %d s "
            + "measured; %s", SealingOptions.BATCH_SIZE, SealingOptions.BATCH_CONNECTIONS,
        options.ramp().toMillis() / 1e3, options.run().toSeconds(), figures.ingest().describe()));
    report.setting(String.format("(2): each run a wrapper in a new group reads %,d records of its topic from the "
            + "start (3 partitions, max.poll.records 500), timed from the first record handed to the empty handler to "
            + "the last; %s holds them sealed as the gateway seals (the same Sealer, keys made for that stream by the "
            + "suite's ring), %s the same data of the unmarked type; %s", options.readEvents(), READ_SEALED,
        READ_PLAIN, figures.read().describe()));
    report.setting(String.format("(3): %d single events per run posted one after the other on one keep-alive "
            + "connection (each waits for the producer's linger.ms, 5 ms, like every lone event); a known subject's "
            + "key is made just before its run, untimed, by the suite's own ring, as another gateway would have; %s",
        options.coldEvents(), figures.cold().describe()));
    if (options.plan().smoke()) {
      report.setting("A smoke test (--quick): no figure is judged");
    }
    figures.addTo(report);
    report.note("(1) encryption off is the sealed type without its marks rather than a gateway without a key ring: "
        + "the same gateway, stream, data and validation keywords, so the ratio prices locating the marked values, "
        + "the key lookup, three AES-GCM encryptions, the splice and the header, and the larger records they make");
    report.note("(2) is compared with the same data unsealed rather than with a group not granted the keys: an "
        + "ungranted group does not decrypt but still checks the header and splices placeholders in, so that ratio "
        + "would leave out part of what sealing costs a consumer");
    report.note("(3) is reported, not judged: a subject's first event pays one key-table read and either a Tink "
        + "key generation, its wrapping and a conditional write (new) or an unwrapping (known), against DynamoDB "
        + "Local on these same cores");
    notes.forEach(report::note);
    return report;
  }
}
