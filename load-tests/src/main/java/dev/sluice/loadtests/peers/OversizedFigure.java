package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.CountingHandler;
import dev.sluice.loadtests.consumer.ProductRecords;
import dev.sluice.loadtests.consumer.RunMeter.Run;
import dev.sluice.loadtests.consumer.WrapperFactory;
import dev.sluice.loadtests.harness.Progress;
import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.report.SuiteReport;
import dev.sluice.quarantine.consumer.Concurrency;
import dev.sluice.quarantine.consumer.EventHandler;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Figure 5: one 900 KB record that is not a CloudEvent among 10,000 good ones, on a topic of one partition that takes
 * records up to 1 MB. The wrapper (default, strictly ordered, empty handler) must hand every good one over and
 * quarantine the big one; the figure is how long the partition stood still around it.
 */
final class OversizedFigure {
  static final int GOOD = 10_000;
  /** The big record's offset: half the good ones before it. */
  static final int BIG_AT = GOOD / 2;
  static final int BIG_BYTES = 900 * 1024;
  /** The topic's max.message.bytes and the producer's max.request.size: 1 MiB (and the batch overhead). */
  static final int MAX_RECORD = 1024 * 1024;

  private final Rig rig;

  OversizedFigure(Rig rig) {
    this.rig = rig;
  }

  void measure(SuiteReport report) throws Exception {
    String topic = PeerTopics.BIG;
    rig.prefill().createTopics(List.of(topic), 1, Map.of("max.message.bytes", Integer.toString(MAX_RECORD + 512)));
    rig.progress().phase("(5) pre-fill", GOOD + " good records with a " + BIG_BYTES / 1024 + " KB non-CloudEvent at "
        + "offset " + BIG_AT + ", one partition");
    byte[] big = new byte[BIG_BYTES];
    Arrays.fill(big, (byte) 'x');
    Duration took = rig.prefill().write(GOOD + 1, i -> i == BIG_AT
            ? new ProducerRecord<>(topic, "big".getBytes(java.nio.charset.StandardCharsets.UTF_8), big)
            : ProductRecords.record(topic, "g-" + i, false),
        Map.of("max.request.size", MAX_RECORD));
    rig.progress().note(String.format("%s: %,d records written in %.1f s", topic, GOOD + 1, took.toMillis() / 1e3));

    String group = rig.groups().next();
    AtomicLongArray handledAt = new AtomicLongArray(GOOD + 1);
    CountingHandler counter = new CountingHandler();
    EventHandler stamping = event -> {
      handledAt.set((int) event.offset(), System.nanoTime());
      return counter.handle(event);
    };
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    String id = QuarantineItem.idFor(group, topic, 0, BIG_AT);
    rig.progress().phase("(5) Sluice, oversized poison", "empty handler, strictly ordered");
    Run run = rig.sluice().contender("(5) Sluice oversized", topic, group, Concurrency.ordered(), stamping, counter,
        () -> counter.calls() + WrapperFactory.quarantined(meters), meters)
        .measure(rig.meter(), GOOD + 1, () -> awaitItem(id));

    long[] at = new long[GOOD + 1];
    for (int i = 0; i < at.length; i++) {
      at[i] = handledAt.get(i);
    }
    long goodHandled = Arrays.stream(at).filter(t -> t != 0).count();
    Optional<QuarantineItem> item = Progress.await(rig.store().get(id), 60);
    boolean stored = item.isPresent() && item.get().reason() == QuarantineReason.NOT_A_CLOUDEVENT;
    boolean pass = run.complete() && goodHandled == GOOD && at[BIG_AT] == 0 && stored;
    String itemText = item.map(i -> String.format("item %s %s, payload %s", i.status(), i.reason(),
        i.payloadInKafka().map(p -> "kept in Kafka (" + p.size() + " bytes)")
            .orElse("in the store (" + i.payload().length + " bytes)"))).orElse("no item in the store");
    report.atLeast("(5) oversized poison: every good record handled and the 900 KB record in the store (1 = yes)",
        String.format("%,d of %,d good handled; %s; quarantined counter %d", goodHandled, GOOD, itemText,
            WrapperFactory.quarantined(meters)), Estimate.single(pass ? 1 : 0), 1.0);
    if (at[BIG_AT - 1] != 0 && at[BIG_AT + 1] != 0) {
      Stall stall = Stall.around(at, BIG_AT);
      report.reported("(5) oversized poison: the partition's stall around it, ms",
          String.format("%.1f ms from offset %d handled to offset %d handled; median gap %.3f ms (%.0f gaps)",
              stall.stallMs(), BIG_AT - 1, BIG_AT + 1, stall.medianGapMs(), stall.gaps()), stall.stallMs());
    } else {
      report.reported("(5) oversized poison: the partition's stall around it, ms",
          "not measured: a neighbour of the big record was not handled", Double.NaN);
    }
  }

  /** Waits, at most 30 s, until the big record's item is in the store (written behind the records). */
  private void awaitItem(String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Progress.await(rig.store().get(id), 60).isEmpty() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }
}
