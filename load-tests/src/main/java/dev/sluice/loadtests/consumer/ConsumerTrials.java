package dev.sluice.loadtests.consumer;

import static dev.sluice.loadtests.consumer.WrapperFactory.quarantined;

import dev.sluice.loadtests.consumer.RunMeter.Run;
import dev.sluice.loadtests.method.Trial;
import dev.sluice.quarantine.consumer.ConsumedEvent;
import dev.sluice.quarantine.consumer.EventHandler;
import dev.sluice.quarantine.consumer.Triage;
import dev.sluice.quarantine.retry.PoisonPill;
import dev.sluice.quarantine.store.QuarantineStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The consumer suite's variants, one {@link Trial} each: one consumer, in a group of its own, reading its records to
 * the end, timed from the first record handed over to the last ({@link RunMeter}). What a trial needs before that is
 * done in the trial, untimed: its group placed at the first measured record, and for (c) the opening run that leaves
 * the group's 1,000 keys open. Every variant but the poison one reads the same records: the clean topic from
 * {@link Layout#measuredFrom()} on.
 */
final class ConsumerTrials {
  /**
   * Where the records are.
   *
   * @param clean the topic of valid records: {@code openKeys} openers (keys {@value #OPENER_PREFIX}i), then
   *     {@code events} measured records of other keys
   * @param measuredFrom the clean topic's offset after its openers, by partition: where every clean run starts
   * @param poison the topic of {@code poisonEvents} records, a tenth of them schema-invalid, read from its start
   */
  record Layout(String clean, int openKeys, Map<Integer, Long> measuredFrom, int events, String poison,
      int poisonEvents) {}

  static final String OPENER_PREFIX = "open-";
  private static final long OPEN_HEADS_WITHIN_MS = 30_000;

  private final Vertx vertx;
  private final String bootstrap;
  private final QuarantineStore store;
  private final WrapperFactory wrappers;
  private final RunMeter meter;
  private final GroupOffsets offsets;
  private final Triage triage;
  private final Layout layout;
  private final int partitions;
  private final PerRun writeRates = new PerRun();
  private final List<Run> incomplete = new ArrayList<>();
  private int groups;

  /**
   * What the trials run on and with, built once by the suite.
   *
   * @param wrappers builds each wrapper variant on the same store, queues and registry
   * @param meter times each run from its first record handed over to its last
   * @param offsets places each fresh group at the first measured record
   * @param triage the wrapper's own decoding and validation, which the decoded bare variant does as well
   */
  record Parts(Vertx vertx, String bootstrap, QuarantineStore store, WrapperFactory wrappers, RunMeter meter,
      GroupOffsets offsets, Triage triage) {}

  ConsumerTrials(Parts parts, Layout layout, int partitions) {
    this.vertx = parts.vertx();
    this.bootstrap = parts.bootstrap();
    this.store = parts.store();
    this.wrappers = parts.wrappers();
    this.meter = parts.meter();
    this.offsets = parts.offsets();
    this.triage = parts.triage();
    this.layout = layout;
    this.partitions = partitions;
  }

  /** The bare poll loop with the empty handler: what reading the records costs, and nothing else. */
  Trial bare() {
    return () -> {
      CountingHandler counter = new CountingHandler();
      String group = placedGroup();
      return bare("bare", group, counter, record -> counter.call());
    };
  }

  /**
   * The bare poll loop decoding and validating each record as the wrapper does before its handler sees the event: the
   * same work per record as the wrapper's, so the gap to the wrapper is the wrapper's own bookkeeping. The loop is the
   * wrapper's ceiling: a vertx-kafka-client consumer handing records to an event loop was not (once the wrapper
   * overlapped its polls with its handling, it read faster than that consumer, above the ceiling by up to a third).
   */
  Trial bareDecoded() {
    return () -> {
      CountingHandler counter = new CountingHandler();
      String group = placedGroup();
      return bare("bare + decode/validate", group, counter,
          record -> BareConsumer.decoded(triage, group, record).ifPresent(event -> counter.call()));
    };
  }

  /** The wrapper with the empty handler, delayed tier off. */
  Trial wrapper() {
    return () -> {
      CountingHandler counter = new CountingHandler();
      String group = placedGroup();
      return rate(meter.measure("wrapper", wrapper(group, layout.clean(), counter, new SimpleMeterRegistry()),
          counter, counter::calls, layout.events()));
    };
  }

  /** The wrapper over the poison topic: each schema-invalid record quarantined in DynamoDB Local. */
  Trial poison() {
    return () -> {
      CountingHandler counter = new CountingHandler();
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      Run run = meter.measure("wrapper, 10 % poison", wrapper(nextGroup(), layout.poison(), counter, meters),
          counter, () -> counter.calls() + quarantined(meters), layout.poisonEvents());
      writeRates.add(run.seconds() <= 0 ? 0 : quarantined(meters) / run.seconds());
      return rate(run);
    };
  }

  /**
   * The wrapper in a group holding {@code openKeys} keys open: the group's opening run quarantines every opener
   * (untimed), then the group is placed back at the measured records and restarted, so it loads the open heads before
   * handling anything and then reads the same records as the clean wrapper, each of a key that is not open.
   */
  Trial keysOpen() {
    return () -> {
      String group = nextGroup();
      open(group);
      offsets.place(group, layout.clean(), layout.measuredFrom());
      CountingHandler counter = new CountingHandler();
      EventHandler countOthers = event -> opener(event) ? heldOpen() : counter.handle(event);
      return rate(meter.measure("wrapper, keys open", wrapper(group, layout.clean(), countOthers,
          new SimpleMeterRegistry()), counter, counter::calls, layout.events()));
    };
  }

  /** Each poison run's quarantine writes per second, warm-ups included. */
  PerRun writeRates() {
    return writeRates;
  }

  /** The runs, warm-ups included, that did not read all their records within the phase limit. */
  List<Run> incomplete() {
    return List.copyOf(incomplete);
  }

  private double bare(String label, String group, CountingHandler counter,
      Consumer<ConsumerRecord<byte[], byte[]>> perRecord) throws Exception {
    return rate(meter.measure(label, new BarePollLoop(vertx, ConsumerProps.of(bootstrap, group), layout.clean(),
        perRecord), counter, counter::calls, layout.events()));
  }

  private VerticleBase wrapper(String group, String topic, EventHandler handler, MeterRegistry meters) {
    return RunMeter.verticle(wrappers.build(ConsumerBenchmark.config(group, topic), handler, meters));
  }

  /**
   * Untimed: the group's wrapper reads the clean topic from its start, rejecting every opener (quarantined as
   * HANDLER_REJECTED, which leaves its key open) and passing the records after them, until every opener is
   * quarantined; then it is stopped, and the store checked for the open heads.
   */
  private void open(String group) throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    EventHandler rejectOpeners = event -> opener(event) ? heldOpen() : Future.succeededFuture();
    meter.measure(String.format("opening %,d keys", layout.openKeys()), wrapper(group, layout.clean(), rejectOpeners, meters),
        null, () -> quarantined(meters), layout.openKeys());
    long deadline = System.currentTimeMillis() + OPEN_HEADS_WITHIN_MS;
    long open;
    while ((open = openHeads(group)) < layout.openKeys()) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(group + " has " + open + " open heads in the store, not "
            + layout.openKeys());
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  private long openHeads(String group) throws Exception {
    long total = 0;
    for (int p = 0; p < partitions; p++) {
      total += store.openItems(group, layout.clean(), p).toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS).size();
    }
    return total;
  }

  private static boolean opener(ConsumedEvent event) {
    return event.key().filter(k -> k.startsWith(OPENER_PREFIX)).isPresent();
  }

  private static Future<Void> heldOpen() {
    return Future.failedFuture(new PoisonPill("benchmark: held open"));
  }

  /** A new group, placed at the clean topic's first measured record. */
  private String placedGroup() throws Exception {
    String group = nextGroup();
    offsets.place(group, layout.clean(), layout.measuredFrom());
    return group;
  }

  private String nextGroup() {
    return "bench-g" + (++groups) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
  }

  private double rate(Run run) {
    if (!run.complete()) {
      incomplete.add(run);
    }
    return run.rate();
  }
}
