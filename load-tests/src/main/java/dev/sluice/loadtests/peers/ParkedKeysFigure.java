package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.CountingHandler;
import dev.sluice.loadtests.consumer.ProductRecords;
import dev.sluice.loadtests.consumer.RunMeter.Run;
import dev.sluice.loadtests.consumer.WrapperFactory;
import dev.sluice.loadtests.harness.Progress;
import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.method.Results;
import dev.sluice.loadtests.report.SuiteReport;
import dev.sluice.loadtests.report.SuiteReport.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Figure 4: 1,000 keys held open by quarantined heads while other keys flow, with {@link SluiceRunner#BY_KEY}
 * concurrency and the 2 ms I/O handler, against the same records flowing in a group that holds nothing. Every parked
 * run has a topic of its own (a group that has read a topic cannot read it again from the start): a group first
 * reads the 1,000 openers there (one per key, each rejected, so each becomes its key's open head), then the same
 * group is started again over the flowing records, loading the open heads first. The parked side cannot be faster
 * than the same records with nothing held back: a median above 1 is a measurement error. Both sides are rated on
 * their steady window (10 % to 90 % of the records, {@link dev.sluice.loadtests.consumer.SteadyWindow}): the drain at
 * the end of the topic varied the whole runs' rates by a third from run to run.
 */
final class ParkedKeysFigure {
  static final int OPEN_KEYS = 1_000;
  private static final String OPEN_PREFIX = "open-";

  private final Rig rig;
  private int parkedRuns;
  /** Open heads in the store before each parked run, warm-ups included. */
  private final List<Long> heads = new ArrayList<>();
  /** How far apart each run's partitions started handing records over, ms, warm-ups included. */
  private final List<Double> parkedStarts = new ArrayList<>();
  private final List<Double> cleanStarts = new ArrayList<>();

  ParkedKeysFigure(Rig rig) {
    this.rig = rig;
  }

  Results measure(SuiteReport report) throws Exception {
    TimedVariant parked = TimedVariant.steady("(4) Sluice parked", this::parked);
    TimedVariant clean = TimedVariant.steady("(4) Sluice clean", this::clean);
    rig.progress().phase("(4) keys parked", OPEN_KEYS + " keys held open in the group vs none, 2 ms per event, "
        + SluiceRunner.BY_KEY_TEXT);
    Results r = rig.rounds(parked, clean).run();

    int rounds = rig.options().rounds();
    report.row("(4) I/O 2 ms, " + SluiceRunner.BY_KEY_TEXT + ": Sluice with " + OPEN_KEYS + " keys parked, events/s",
        parked.rateText(r) + "; open heads " + last(heads, rounds) + "; partitions started " + msText(
            last(parkedStarts, rounds)) + " ms apart", "", "-", Verdict.REPORTED);
    report.row("(4) I/O 2 ms, " + SluiceRunner.BY_KEY_TEXT + ": Sluice with nothing parked, events/s",
        clean.rateText(r) + "; partitions started " + msText(last(cleanStarts, rounds)) + " ms apart", "", "-",
        Verdict.BASELINE);
    Estimate ratio = r.ratio(parked.name(), clean.name());
    report.atLeast("(4) " + OPEN_KEYS + " keys parked vs none, concurrency on", "per pair " + ratio.samplesText(),
        ratio, 0.9, 1.0);
    return r;
  }

  private Run parked() throws Exception {
    String topic = PeerTopics.parked(++parkedRuns);
    String group = rig.groups().next();
    rig.progress().note(OPEN_KEYS + " keys made open in " + group + " on " + topic + ": each one's first event is "
        + "rejected");
    PeerTopics.fill(rig, topic, OPEN_KEYS, i -> ProductRecords.record(topic, OPEN_PREFIX + i, false));
    SimpleMeterRegistry openMeters = new SimpleMeterRegistry();
    rig.sluice().contender("(4) opening", topic, group, SluiceRunner.BY_KEY, SluiceHandlers.rejectingAll(), null,
        () -> WrapperFactory.quarantined(openMeters), openMeters)
        .measure(rig.meter(), OPEN_KEYS, () -> awaitOpenHeads(group, topic));
    heads.add(openHeads(group, topic));
    PeerTopics.fill(rig, topic, rig.options().parkedEvents(), i -> PeerTopics.keyed(topic, i));

    CountingHandler p = new CountingHandler();
    PartitionStarts starts = new PartitionStarts();
    Run run = rig.sluice().contender("(4) Sluice parked", topic, group, SluiceRunner.BY_KEY,
        starts.around(SluiceHandlers.ioRejecting(rig.vertx(), IoBoundFigure.WAIT, p, OPEN_PREFIX)), p, p::calls,
        new SimpleMeterRegistry()).measure(rig.meter(), rig.options().parkedEvents());
    parkedStarts.add(starts.spreadMs());
    return run;
  }

  private Run clean() throws Exception {
    CountingHandler c = new CountingHandler();
    PartitionStarts starts = new PartitionStarts();
    Run run = rig.sluice().contender("(4) Sluice clean", PeerTopics.FLOW, rig.groups().next(), SluiceRunner.BY_KEY,
        starts.around(SluiceHandlers.io(rig.vertx(), IoBoundFigure.WAIT, c)), c, c::calls, new SimpleMeterRegistry())
        .measure(rig.meter(), rig.options().parkedEvents());
    cleanStarts.add(starts.spreadMs());
    return run;
  }

  private static <T> List<T> last(List<T> all, int n) {
    return all.subList(Math.max(0, all.size() - n), all.size());
  }

  private static String msText(List<Double> ms) {
    return ms.stream().map(v -> String.format("%.0f", v)).toList().toString();
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
