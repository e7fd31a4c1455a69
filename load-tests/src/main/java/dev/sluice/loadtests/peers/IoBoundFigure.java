package dev.sluice.loadtests.peers;

import static dev.sluice.loadtests.consumer.RunMeter.median;
import static dev.sluice.loadtests.consumer.RunMeter.pairs;
import static dev.sluice.loadtests.consumer.RunMeter.rate;
import static dev.sluice.loadtests.consumer.RunMeter.rates;
import static dev.sluice.loadtests.consumer.RunMeter.ratios;

import dev.sluice.loadtests.consumer.CountingHandler;
import dev.sluice.loadtests.consumer.RunMeter;
import dev.sluice.loadtests.consumer.RunMeter.Run;
import dev.sluice.loadtests.report.SuiteReport;
import dev.sluice.quarantine.consumer.Concurrency;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Figure 1, an I/O-bound handler: every call waits 2 ms. The wrapper strictly ordered (the default), the wrapper with
 * {@link SluiceRunner#BY_KEY} concurrency (its handler waiting on a Vert.x timer, no thread held), and Parallel
 * Consumer with {@code ProcessingOrder.KEY} and the same per-consumer limit (its handler sleeping on one of its
 * threads), interleaved round by round over the same topic, each run in a fresh group.
 */
final class IoBoundFigure {
  static final Duration WAIT = Duration.ofMillis(2);
  /** Parallel Consumer's maxConcurrency: the wrapper's per-consumer limit. */
  static final int MAX_CONCURRENCY = SluiceRunner.BY_KEY.perConsumer();

  private final Rig rig;

  IoBoundFigure(Rig rig) {
    this.rig = rig;
  }

  void measure(SuiteReport report) throws Exception {
    PeersOptions o = rig.options();
    RunMeter meter = rig.meter();
    List<Run> ordered = new ArrayList<>();
    List<Run> concurrent = new ArrayList<>();
    List<Run> parallel = new ArrayList<>();
    for (int round = 1; round <= o.rounds(); round++) {
      String of = " " + round + "/" + o.rounds();
      rig.progress().phase("(1) Sluice ordered" + of, "2 ms per event on a timer, the first " + o.orderedEvents()
          + " events");
      ordered.add(sluice("(1) Sluice ordered", Concurrency.ordered(), meter, o.orderedEvents()));
      rig.progress().phase("(1) Sluice by key" + of, "2 ms per event on a timer, " + SluiceRunner.BY_KEY_TEXT);
      concurrent.add(sluice("(1) Sluice by key", SluiceRunner.BY_KEY, meter, o.ioEvents()));
      rig.progress().phase("(1) Parallel Consumer" + of, "KEY order, maxConcurrency " + MAX_CONCURRENCY
          + ", Thread.sleep(2) per event");
      CountingHandler pc = new CountingHandler();
      String group = rig.groups().next();
      parallel.add(rig.parallel().contender("(1) Parallel Consumer", PeerTopics.IO, group, MAX_CONCURRENCY,
          PeerHandlers.decodeWaitAndCount(rig.triage(), group, WAIT, pc), pc).measure(meter, o.ioEvents()));
    }
    String pairs = " (median of " + o.rounds() + " pairs)";
    report.reported("(1) I/O 2 ms: Sluice strictly ordered, events/s (the first " + o.orderedEvents() + " events)",
        rate(median(ordered)) + " " + rates(ordered) + incomplete(ordered), median(ordered).rate());
    report.reported("(1) I/O 2 ms: Sluice " + SluiceRunner.BY_KEY_TEXT + ", events/s",
        rate(median(concurrent)) + " " + rates(concurrent) + incomplete(concurrent), median(concurrent).rate());
    report.reported("(1) I/O 2 ms: Parallel Consumer KEY, maxConcurrency " + MAX_CONCURRENCY + ", events/s",
        rate(median(parallel)) + " " + rates(parallel) + incomplete(parallel), median(parallel).rate());
    report.atLeast("(1) I/O 2 ms: Sluice by key vs Sluice ordered" + pairs, "per pair " + ratios(concurrent, ordered),
        pairs(concurrent, ordered), 20);
    report.atLeast("(1) I/O 2 ms: Sluice by key vs Parallel Consumer KEY" + pairs,
        "per pair " + ratios(concurrent, parallel), pairs(concurrent, parallel), 1.0);
  }

  private Run sluice(String label, Concurrency concurrency, RunMeter meter, int expected) throws Exception {
    CountingHandler counter = new CountingHandler();
    return rig.sluice().contender(label, PeerTopics.IO, rig.groups().next(), concurrency,
        SluiceHandlers.io(rig.vertx(), WAIT, counter), counter, counter::calls, new SimpleMeterRegistry())
        .measure(meter, expected);
  }

  /** A note on the runs the run limit stopped before they read what was expected: their rate covers what they read. */
  static String incomplete(List<Run> runs) {
    long stopped = runs.stream().filter(r -> !r.complete()).count();
    return stopped == 0 ? "" : String.format("; %d of %d runs stopped by the run limit, rated on what they read",
        stopped, runs.size());
  }
}
