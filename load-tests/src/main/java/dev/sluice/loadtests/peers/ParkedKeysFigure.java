package dev.sluice.loadtests.peers;

import static dev.sluice.loadtests.consumer.RunMeter.median;
import static dev.sluice.loadtests.consumer.RunMeter.pairs;
import static dev.sluice.loadtests.consumer.RunMeter.rate;
import static dev.sluice.loadtests.consumer.RunMeter.rates;
import static dev.sluice.loadtests.consumer.RunMeter.ratios;
import static dev.sluice.loadtests.peers.IoBoundFigure.incomplete;

import dev.sluice.loadtests.consumer.CountingHandler;
import dev.sluice.loadtests.consumer.ProductRecords;
import dev.sluice.loadtests.consumer.RunMeter;
import dev.sluice.loadtests.consumer.RunMeter.Run;
import dev.sluice.loadtests.consumer.WrapperFactory;
import dev.sluice.loadtests.harness.Progress;
import dev.sluice.loadtests.report.SuiteReport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Figure 4: 1,000 keys held open by quarantined heads while other keys flow, with {@link SluiceRunner#BY_KEY}
 * concurrency and the 2 ms I/O handler, against the same records flowing in a group that holds nothing. Each round has
 * a topic of its own: a group first reads the 1,000 openers there (one per key, each rejected, so each becomes its
 * key's open head), then the same group is started again over the flowing records, loading the open heads first.
 */
final class ParkedKeysFigure {
  static final int OPEN_KEYS = 1_000;
  private static final String OPEN_PREFIX = "open-";

  private final Rig rig;

  ParkedKeysFigure(Rig rig) {
    this.rig = rig;
  }

  void measure(SuiteReport report) throws Exception {
    PeersOptions o = rig.options();
    RunMeter meter = rig.meter();
    List<Run> parked = new ArrayList<>();
    List<Run> clean = new ArrayList<>();
    List<Long> heads = new ArrayList<>();
    for (int round = 1; round <= o.rounds(); round++) {
      String of = " " + round + "/" + o.rounds();
      String topic = PeerTopics.parked(round);
      String group = rig.groups().next();
      rig.progress().phase("(4) opening" + of, OPEN_KEYS + " keys made open in " + group + ": each one's first event "
          + "is rejected");
      PeerTopics.fill(rig, topic, OPEN_KEYS, i -> ProductRecords.record(topic, OPEN_PREFIX + i, false));
      SimpleMeterRegistry openMeters = new SimpleMeterRegistry();
      rig.sluice().contender("(4) opening", topic, group, SluiceRunner.BY_KEY, SluiceHandlers.rejectingAll(), null,
          () -> WrapperFactory.quarantined(openMeters), openMeters)
          .measure(meter, OPEN_KEYS, () -> awaitOpenHeads(group, topic));
      heads.add(openHeads(group, topic));
      PeerTopics.fill(rig, topic, o.events(), i -> PeerTopics.keyed(topic, i));

      rig.progress().phase("(4) Sluice, keys parked" + of, "the same group again, 2 ms per event, "
          + SluiceRunner.BY_KEY_TEXT);
      CountingHandler p = new CountingHandler();
      parked.add(rig.sluice().contender("(4) Sluice parked", topic, group, SluiceRunner.BY_KEY,
          SluiceHandlers.ioRejecting(rig.vertx(), IoBoundFigure.WAIT, p, OPEN_PREFIX), p, p::calls,
          new SimpleMeterRegistry()).measure(meter, o.events()));

      rig.progress().phase("(4) Sluice, nothing parked" + of, "a fresh group over the same records, 2 ms per event, "
          + SluiceRunner.BY_KEY_TEXT);
      CountingHandler c = new CountingHandler();
      clean.add(rig.sluice().contender("(4) Sluice clean", PeerTopics.FLOW, rig.groups().next(), SluiceRunner.BY_KEY,
          SluiceHandlers.io(rig.vertx(), IoBoundFigure.WAIT, c), c, c::calls, new SimpleMeterRegistry())
          .measure(meter, o.events()));
    }
    report.reported("(4) I/O 2 ms, " + SluiceRunner.BY_KEY_TEXT + ": Sluice with " + OPEN_KEYS
        + " keys parked, events/s", rate(median(parked)) + " " + rates(parked) + incomplete(parked) + "; open heads "
        + heads, median(parked).rate());
    report.reported("(4) I/O 2 ms, " + SluiceRunner.BY_KEY_TEXT + ": Sluice with nothing parked, events/s",
        rate(median(clean)) + " " + rates(clean) + incomplete(clean), median(clean).rate());
    report.atLeast("(4) " + OPEN_KEYS + " keys parked vs none, concurrency on (median of " + o.rounds() + " pairs)",
        "per pair " + ratios(parked, clean), pairs(parked, clean), 0.9);
  }

  /** Waits, at most 30 s, until the store lists every opener as its key's open head (written behind the records). */
  private void awaitOpenHeads(String group, String topic) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (openHeads(group, topic) < OPEN_KEYS && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  private long openHeads(String group, String topic) {
    long total = 0;
    for (int p = 0; p < PeerTopics.PARTITIONS; p++) {
      total += Progress.await(rig.store().openItems(group, topic, p), 60).size();
    }
    return total;
  }
}
