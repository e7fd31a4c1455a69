package dev.sluice.loadtests.replay;

import dev.sluice.loadtests.consumer.BareConsumer;
import dev.sluice.loadtests.consumer.ConsumerBenchmark;
import dev.sluice.loadtests.consumer.RunMeter;
import dev.sluice.loadtests.consumer.RunMeter.Run;
import dev.sluice.loadtests.harness.EmbeddedStack;
import dev.sluice.loadtests.harness.Progress;
import dev.sluice.loadtests.method.Trial;
import dev.sluice.quarantine.consumer.QuarantiningConsumer;
import dev.sluice.quarantine.consumer.Triage;
import dev.sluice.quarantine.replay.Replay;
import dev.sluice.quarantine.replay.ReplayState;
import dev.sluice.quarantine.replay.ReplayStore;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The replay suite's two variants, one {@link Trial} each, each run a new group reading the whole topic into the same
 * handler ({@link CatalogMemory}), timed from the first event handled to the last ({@link RunMeter}). Beside the rate,
 * every run (warm-ups included) notes what its view held, and every replay run how many events it flagged as replayed
 * and how long its hand-off to DONE took: checks that hold for each run, not figures to compare.
 */
final class ReplayTrials {
  /** How long the replay may take to end DONE once its group has handled everything (it ends on a lane refresh). */
  private static final Duration HAND_OFF_LIMIT = Duration.ofSeconds(60);

  private final EmbeddedStack stack;
  private final RunMeter meter;
  private final ColdStart coldStart;
  private final ReplayStore store;
  private final SchemaRegistry registry;
  private final Triage triage;
  private final StreamDefinition stream;
  private final String quarantineTable;
  private final String replayTable;
  private final int events;
  private final List<Double> handOffs = new ArrayList<>();
  private final List<Long> flagged = new ArrayList<>();
  /** What each run's view held at its end: the same for every run, or a side skipped or repeated work. */
  private final Set<String> views = new TreeSet<>();
  private final List<Run> incomplete = new ArrayList<>();
  private int groups;

  /**
   * What the trials run on and with, built once by the suite.
   *
   * @param meter times each run from its first record handed over to its last
   * @param coldStart starts each replay the way the console does
   */
  record Parts(EmbeddedStack stack, RunMeter meter, ColdStart coldStart, ReplayStore store, SchemaRegistry registry) {}

  /**
   * What every run reads and where the replay keeps its state.
   *
   * @param events how many events the stream holds: each run reads them all
   */
  record Target(StreamDefinition stream, String quarantineTable, String replayTable, int events) {}

  ReplayTrials(Parts parts, Target target) {
    this.stack = parts.stack();
    this.meter = parts.meter();
    this.coldStart = parts.coldStart();
    this.store = parts.store();
    this.registry = parts.registry();
    this.triage = new Triage(parts.registry());
    this.stream = target.stream();
    this.quarantineTable = target.quarantineTable();
    this.replayTable = target.replayTable();
    this.events = target.events();
  }

  /** The baseline: a bare vertx-kafka-client consumer decoding and validating each record as the wrapper does. */
  Trial bare() {
    return () -> {
      String group = nextGroup();
      CatalogMemory view = new CatalogMemory();
      VerticleBase consumer = BareConsumer.verticle(stack.vertx(), stack.bootstrap(), group, stream.topic(),
          ConsumerBenchmark.MAX_POLL_RECORDS,
          record -> BareConsumer.decoded(triage, group, record).ifPresent(view::handle));
      return viewed(view, meter.measure("bare", consumer, view.counter(), view::handled, events));
    };
  }

  /**
   * A cold-start replay for a new group (started untimed, as the console does it), read by the wrapper built with
   * {@code .replays(table)}. After the last event, untimed, the run waits for the wrapper to end the replay DONE, as
   * it does once the group has committed past every captured end.
   */
  Trial replay() {
    return () -> {
      String group = nextGroup();
      Replay started = coldStart.start(ReplayBenchmark.STREAM, stream.topic(), group);
      CatalogMemory view = new CatalogMemory();
      QuarantiningConsumer consumer = QuarantiningConsumer.builder(ConsumerBenchmark.config(group, stream.topic()))
          .kafka(Map.of("bootstrap.servers", stack.bootstrap()))
          .store(stack.dynamo(), quarantineTable)
          .queues(stack.sqs(), "bench")
          .schemas(registry)
          .meters(new SimpleMeterRegistry())
          .replays(replayTable)
          .handler(view)
          .build(stack.vertx());
      Run run = meter.measure("replay", RunMeter.verticle(consumer), view.counter(), view::handled, events,
          () -> handOffs.add(awaitDone(started)));
      if (run.complete()) {
        flagged.add(view.flagged());
      }
      return viewed(view, run);
    };
  }

  /** Seconds from each complete replay run's last event to its replay DONE, in the order run. */
  List<Double> handOffs() {
    return List.copyOf(handOffs);
  }

  /** Events flagged as replayed by each complete replay run, in the order run. */
  List<Long> flagged() {
    return List.copyOf(flagged);
  }

  /** The distinct views the complete runs of both sides built: one, when each did all the work once. */
  Set<String> views() {
    return Set.copyOf(views);
  }

  List<Run> incomplete() {
    return List.copyOf(incomplete);
  }

  /** Notes what a complete run left in its view; its rate. */
  private double viewed(CatalogMemory view, Run run) {
    if (run.complete()) {
      views.add(String.format("%,d products, %,d photographers, %,d photos", view.products(),
          view.photographers(), view.photos()));
    } else {
      incomplete.add(run);
    }
    return run.rate();
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
