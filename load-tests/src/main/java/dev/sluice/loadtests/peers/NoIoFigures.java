package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.CountingHandler;
import dev.sluice.loadtests.consumer.RunMeter.Run;
import dev.sluice.loadtests.consumer.WrapperFactory;
import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.method.Results;
import dev.sluice.loadtests.report.SuiteReport;
import dev.sluice.loadtests.report.SuiteReport.Verdict;
import dev.sluice.quarantine.consumer.Concurrency;
import dev.sluice.quarantine.log.LogSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figures 2 and 3, no I/O in any handler, in shared rounds: (3) the happy path, the wrapper (default, strictly
 * ordered) against a bare poll loop that decodes and validates each record as the wrapper does (its ceiling: the same
 * work without the wrapper), and one that does nothing with the bytes; (2) 10 % poison, the wrapper quarantining what
 * its handler rejects, with the quarantine log and table first, against its own clean rate (a ceiling: the same
 * records without poison) and against Spring Kafka dead-lettering what its listener rejects.
 */
final class NoIoFigures {
  /** How far above 1 a bare loop's decoding may come out against the loop that does nothing, from noise alone. */
  private static final double SANITY_TOLERANCE = 1.05;

  private final Rig rig;
  /** How long each log run's items were not findable, in the order run (warm-ups first). */
  private final List<IndexDelay> delays = new ArrayList<>();

  NoIoFigures(Rig rig) {
    this.rig = rig;
  }

  Results measure(SuiteReport report) throws Exception {
    PeersOptions o = rig.options();
    TimedVariant bare = new TimedVariant("(3) bare", this::bare);
    TimedVariant bareDecoding = new TimedVariant("(3) bare + decode/validate", this::bareDecoding);
    TimedVariant sluice = new TimedVariant("(3) Sluice", this::sluice);
    TimedVariant sluiceLog = new TimedVariant("(2) Sluice poison, log", this::sluiceLog);
    TimedVariant sluicePoison = new TimedVariant("(2) Sluice poison", this::sluicePoison);
    TimedVariant springPoison = new TimedVariant("(2) Spring Kafka poison", this::springPoison);
    rig.progress().phase("(3) happy path and (2) 10 % poison", "no I/O; bare poll loop, + decode/validate, Sluice "
        + "strictly ordered; Sluice with poison, quarantine log and table first; Spring Kafka DLT");
    // Each compared pair side by side in the round's order: Sluice between its two bare loops, the log run next to
    // the clean run it is divided by.
    Results r = rig.rounds(bare, bareDecoding, sluice, sluiceLog, sluicePoison, springPoison).run();

    report.row("(3) bare KafkaConsumer poll loop, counts only, events/s", bare.rateText(r), "", "-",
        Verdict.BASELINE);
    report.row("(3) bare poll loop + decode/validate, events/s", bareDecoding.rateText(r), "", "-",
        Verdict.BASELINE);
    report.row("(3) Sluice, empty handler, events/s", sluice.rateText(r), "", "-", Verdict.REPORTED);
    Estimate decodingCost = r.ratio(bareDecoding.name(), bare.name());
    report.row("(3) sanity: bare + decode/validate vs bare that does nothing (cannot exceed 1 when measured right)",
        "per pair " + decodingCost.samplesText(), decodingCost.describe("pairs"), "<= 1",
        decodingCost.median() <= SANITY_TOLERANCE ? Verdict.PASS : Verdict.FAIL);
    Estimate happy = r.ratio(sluice.name(), bareDecoding.name());
    report.atLeast("(3) happy path: Sluice vs bare poll loop + decode/validate", "per pair " + happy.samplesText(),
        happy, 0.9, 1.0);
    Estimate overNothing = r.ratio(sluice.name(), bare.name());
    report.reported("(3) happy path: Sluice vs bare poll loop that does nothing with the bytes",
        "per pair " + overNothing.samplesText(), overNothing);

    report.row("(2) 10 % poison: Sluice, events/s (the first " + o.events() + " events)", sluicePoison.rateText(r),
        "", "-", Verdict.REPORTED);
    report.row("(2) 10 % poison: Spring Kafka DLT, events/s (the first " + o.springEvents() + " events)",
        springPoison.rateText(r), "", "-", Verdict.BASELINE);
    report.row("(2) 10 % poison: Sluice with the quarantine log, events/s (" + o.logEvents() + " events)",
        sluiceLog.rateText(r), "", "-", Verdict.REPORTED);
    Estimate tableFirst = r.ratio(sluicePoison.name(), sluice.name());
    report.reported("(2) 10 % poison, table first (no log): Sluice vs its own clean rate (3)",
        "per pair " + tableFirst.samplesText(), tableFirst);
    Estimate withLog = r.ratio(sluiceLog.name(), sluice.name());
    report.atLeast("(2) 10 % poison, quarantine log: Sluice vs its own clean rate (3)",
        "per pair " + withLog.samplesText(), withLog, 0.5, 1.0);
    Estimate overSpring = r.ratio(sluiceLog.name(), springPoison.name());
    report.atLeast("(2) 10 % poison, quarantine log: Sluice vs Spring Kafka DefaultErrorHandler + DLT",
        "per pair " + overSpring.samplesText(), overSpring, 1.0);
    List<IndexDelay> measured = delays.subList(delays.size() - o.rounds(), delays.size());
    report.row("(2) quarantine log: a new item findable in the console (indexed) after, per round",
        String.join("; ", measured.stream().map(IndexDelay::text).toList()), "", "-", Verdict.REPORTED);
    return r;
  }

  /**
   * {@code --only-figure poison}: only the wrapper clean (3) and with poison and the quarantine log (2), the same
   * variants as {@link #measure}, side by side in the round's order.
   */
  Results measurePoisonOnly(SuiteReport report) throws Exception {
    PeersOptions o = rig.options();
    TimedVariant sluice = new TimedVariant("(3) Sluice", this::sluice);
    TimedVariant sluiceLog = new TimedVariant("(2) Sluice poison, log", this::sluiceLog);
    rig.progress().phase("(3) happy path and (2) 10 % poison with the log, only", "no I/O; Sluice strictly ordered, "
        + "clean and with poison and the quarantine log");
    Results r = rig.rounds(sluice, sluiceLog).run();
    report.row("(3) Sluice, empty handler, events/s", sluice.rateText(r), "", "-", Verdict.REPORTED);
    report.row("(2) 10 % poison: Sluice with the quarantine log, events/s (" + o.logEvents() + " events)",
        sluiceLog.rateText(r), "", "-", Verdict.REPORTED);
    Estimate withLog = r.ratio(sluiceLog.name(), sluice.name());
    report.atLeast("(2) 10 % poison, quarantine log: Sluice vs its own clean rate (3)",
        "per pair " + withLog.samplesText(), withLog, 0.5, 1.0);
    List<IndexDelay> measured = delays.subList(delays.size() - o.rounds(), delays.size());
    report.row("(2) quarantine log: a new item findable in the console (indexed) after, per round",
        String.join("; ", measured.stream().map(IndexDelay::text).toList()), "", "-", Verdict.REPORTED);
    return r;
  }

  private Run bare() throws Exception {
    CountingHandler b = new CountingHandler();
    return rig.pollLoop().contender("(3) bare", PeerTopics.CLEAN, rig.groups().next(), PeerHandlers.countOnly(b), b)
        .measure(rig.meter(), rig.options().happyEvents());
  }

  private Run bareDecoding() throws Exception {
    CountingHandler bd = new CountingHandler();
    String group = rig.groups().next();
    return rig.pollLoop().contender("(3) bare + decode/validate", PeerTopics.CLEAN, group,
        PeerHandlers.decodeAndCount(rig.triage(), group, bd), bd).measure(rig.meter(), rig.options().happyEvents());
  }

  private Run sluice() throws Exception {
    CountingHandler s = new CountingHandler();
    return rig.sluice().contender("(3) Sluice", PeerTopics.CLEAN, rig.groups().next(), Concurrency.ordered(), s, s,
        s::calls, new SimpleMeterRegistry()).measure(rig.meter(), rig.options().happyEvents());
  }

  private Run sluicePoison() throws Exception {
    CountingHandler sp = new CountingHandler();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    return rig.sluice().contender("(2) Sluice poison", PeerTopics.POISON, rig.groups().next(), Concurrency.ordered(),
        SluiceHandlers.rejectingPoison(sp), sp, () -> sp.calls() + WrapperFactory.quarantined(meters), meters)
        .measure(rig.meter(), rig.options().events());
  }

  /** Rejected records' items appended to Kafka (acks=all), indexed into DynamoDB behind; a log topic per run. */
  private Run sluiceLog() throws Exception {
    CountingHandler sl = new CountingHandler();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    String group = rig.groups().next();
    LogSettings log = LogSettings.of("peers-qlog-" + group);
    Run run = rig.sluice().contender("(2) Sluice poison, log", PeerTopics.POISON, group, Concurrency.ordered(),
        SluiceHandlers.rejectingPoison(sl), sl, () -> sl.calls() + WrapperFactory.quarantined(meters), meters,
        builder -> builder.quarantineLog(log))
        .measure(rig.meter(), rig.options().logEvents(), () -> awaitIndexed(meters));
    delays.add(IndexDelay.of(meters));
    return run;
  }

  /** DefaultErrorHandler + DeadLetterPublishingRecoverer, FixedBackOff(0, 0). */
  private Run springPoison() throws Exception {
    CountingHandler kp = new CountingHandler();
    String group = rig.groups().next();
    return rig.spring().contender("(2) Spring Kafka poison", PeerTopics.POISON, group,
        PeerHandlers.decodeRejectingPoison(rig.triage(), group, kp), kp, new AtomicLong())
        .measure(rig.meter(), rig.options().springEvents());
  }

  /**
   * After a run with a quarantine log: waits (at most 3 min) until the indexer has written every item appended, so
   * that no run after it shares the cores with this one's indexer.
   */
  private static void awaitIndexed(SimpleMeterRegistry meters) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (IndexDelay.indexed(meters) < WrapperFactory.quarantined(meters) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
