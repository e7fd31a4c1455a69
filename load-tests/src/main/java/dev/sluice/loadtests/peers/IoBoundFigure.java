package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.CountingHandler;
import dev.sluice.loadtests.consumer.RunMeter.Run;
import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.method.Results;
import dev.sluice.loadtests.report.SuiteReport;
import dev.sluice.loadtests.report.SuiteReport.Verdict;
import dev.sluice.quarantine.consumer.Concurrency;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/**
 * Figure 1, an I/O-bound handler: every call waits 2 ms. The wrapper strictly ordered (the default), the wrapper with
 * {@link SluiceRunner#BOUNDED} and with {@link SluiceRunner#BY_KEY} concurrency (its handler waiting on a Vert.x timer,
 * no thread held), and Parallel Consumer with {@code ProcessingOrder.KEY} and the same per-consumer limit as
 * {@link SluiceRunner#BY_KEY} (its handler sleeping on one of its threads), over the same topic, each run in a fresh
 * group, by the shared method (warmed up, then interleaved rounds). No ceiling: neither side of any ratio is the
 * other's work done bare. Every run is rated on its steady window (10 % to 90 % of its records,
 * {@link dev.sluice.loadtests.consumer.SteadyWindow}): the drain of the last records over fewer and fewer keys is not
 * the rate either library keeps up.
 *
 * <p>Judged against the ordered wrapper is the bounded one: both rates are set by the 2 ms timer (1 in flight per
 * partition against 8), so their ratio does not move with the machine's speed. With 768 in flight the wrapper is
 * bound by the CPU instead (65 to 127 times the ordered rate over five full runs, moving with the machine);
 * that ratio is shown, and the one judged for it is against Parallel Consumer, both sides bound alike.
 */
final class IoBoundFigure {
  static final Duration WAIT = Duration.ofMillis(2);
  /** Parallel Consumer's maxConcurrency: the wrapper's per-consumer limit. */
  static final int MAX_CONCURRENCY = SluiceRunner.BY_KEY.perConsumer();

  /**
   * The bounded wrapper's least rate over the ordered one: 8 in flight per partition against 1 would be 8 times as
   * fast if every wait were back to back; three quarters of that leaves room for the wrapper's own work per record.
   */
  static final double BOUNDED_FLOOR = 6;

  private final Rig rig;

  IoBoundFigure(Rig rig) {
    this.rig = rig;
  }

  Results measure(SuiteReport report) throws Exception {
    PeersOptions o = rig.options();
    TimedVariant ordered = TimedVariant.steady("(1) Sluice ordered",
        () -> sluice("(1) Sluice ordered", Concurrency.ordered(), o.orderedEvents()));
    TimedVariant bounded = TimedVariant.steady("(1) Sluice bounded",
        () -> sluice("(1) Sluice bounded", SluiceRunner.BOUNDED, o.boundedEvents()));
    TimedVariant byKey = TimedVariant.steady("(1) Sluice by key",
        () -> sluice("(1) Sluice by key", SluiceRunner.BY_KEY, o.ioEvents()));
    TimedVariant parallel = TimedVariant.steady("(1) Parallel Consumer", this::parallelConsumer);
    rig.progress().phase("(1) I/O-bound", "2 ms per event: Sluice ordered (the first " + o.orderedEvents()
        + " events), Sluice " + SluiceRunner.BOUNDED_TEXT + " (the first " + o.boundedEvents() + "), Sluice "
        + SluiceRunner.BY_KEY_TEXT + ", Parallel Consumer KEY, maxConcurrency " + MAX_CONCURRENCY);
    Results r = rig.rounds(ordered, bounded, byKey, parallel).run();

    report.row("(1) I/O 2 ms: Sluice strictly ordered, events/s (the first " + o.orderedEvents() + " events)",
        ordered.rateText(r), "", "-", Verdict.BASELINE);
    report.row("(1) I/O 2 ms: Sluice " + SluiceRunner.BOUNDED_TEXT + ", events/s (the first " + o.boundedEvents()
        + " events)", bounded.rateText(r), "", "-", Verdict.REPORTED);
    report.row("(1) I/O 2 ms: Sluice " + SluiceRunner.BY_KEY_TEXT + ", events/s", byKey.rateText(r), "", "-",
        Verdict.REPORTED);
    report.row("(1) I/O 2 ms: Parallel Consumer KEY, maxConcurrency " + MAX_CONCURRENCY + ", events/s",
        parallel.rateText(r), "", "-", Verdict.BASELINE);
    Estimate boundedOverOrdered = r.ratio(bounded.name(), ordered.name());
    report.atLeast("(1) I/O 2 ms: Sluice " + SluiceRunner.BOUNDED_TEXT + " vs Sluice ordered",
        "per pair " + boundedOverOrdered.samplesText(), boundedOverOrdered, BOUNDED_FLOOR);
    Estimate overOrdered = r.ratio(byKey.name(), ordered.name());
    report.reported("(1) I/O 2 ms: Sluice " + SluiceRunner.BY_KEY_TEXT + " vs Sluice ordered (CPU-bound over "
        + "timer-bound: shown, not judged)", "per pair " + overOrdered.samplesText(), overOrdered);
    Estimate overParallel = r.ratio(byKey.name(), parallel.name());
    report.atLeast("(1) I/O 2 ms: Sluice by key vs Parallel Consumer KEY", "per pair " + overParallel.samplesText(),
        overParallel, 1.0);
    return r;
  }

  private Run sluice(String label, Concurrency concurrency, int expected) throws Exception {
    CountingHandler counter = new CountingHandler();
    return rig.sluice().contender(label, PeerTopics.IO, rig.groups().next(), concurrency,
        SluiceHandlers.io(rig.vertx(), WAIT, counter), counter, counter::calls, new SimpleMeterRegistry())
        .measure(rig.meter(), expected);
  }

  private Run parallelConsumer() throws Exception {
    CountingHandler pc = new CountingHandler();
    String group = rig.groups().next();
    return rig.parallel().contender("(1) Parallel Consumer", PeerTopics.IO, group, MAX_CONCURRENCY,
        PeerHandlers.decodeWaitAndCount(rig.triage(), group, WAIT, pc), pc).measure(rig.meter(), rig.options().ioEvents());
  }
}
