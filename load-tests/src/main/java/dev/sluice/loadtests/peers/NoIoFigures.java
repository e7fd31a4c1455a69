package dev.sluice.loadtests.peers;

import static dev.sluice.loadtests.consumer.RunMeter.median;
import static dev.sluice.loadtests.consumer.RunMeter.pairs;
import static dev.sluice.loadtests.consumer.RunMeter.rate;
import static dev.sluice.loadtests.consumer.RunMeter.rates;
import static dev.sluice.loadtests.consumer.RunMeter.ratios;
import static dev.sluice.loadtests.peers.IoBoundFigure.incomplete;

import dev.sluice.loadtests.consumer.CountingHandler;
import dev.sluice.loadtests.consumer.RunMeter;
import dev.sluice.loadtests.consumer.RunMeter.Run;
import dev.sluice.loadtests.consumer.WrapperFactory;
import dev.sluice.loadtests.report.SuiteReport;
import dev.sluice.quarantine.consumer.Concurrency;
import dev.sluice.quarantine.log.LogSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figures 2 and 3, no I/O in any handler, in shared rounds: (3) the happy path, the wrapper (default, strictly
 * ordered) against a bare poll loop that decodes and validates each record as the wrapper does, and one that does
 * nothing with the bytes; (2) 10 % poison, the wrapper quarantining what its handler rejects against its own clean
 * rate and against Spring Kafka dead-lettering what its listener rejects.
 */
final class NoIoFigures {
  private final Rig rig;

  NoIoFigures(Rig rig) {
    this.rig = rig;
  }

  void measure(SuiteReport report) throws Exception {
    PeersOptions o = rig.options();
    RunMeter meter = rig.meter();
    List<Run> bare = new ArrayList<>();
    List<Run> bareDecoding = new ArrayList<>();
    List<Run> sluice = new ArrayList<>();
    List<Run> sluicePoison = new ArrayList<>();
    List<Run> sluiceLog = new ArrayList<>();
    List<IndexDelay> delays = new ArrayList<>();
    List<Run> springPoison = new ArrayList<>();
    for (int round = 1; round <= o.rounds(); round++) {
      String of = " " + round + "/" + o.rounds();
      rig.progress().phase("(3) bare poll loop" + of, "KafkaConsumer poll loop, counts each record");
      CountingHandler b = new CountingHandler();
      bare.add(rig.pollLoop().contender("(3) bare", PeerTopics.CLEAN, rig.groups().next(),
          PeerHandlers.countOnly(b), b).measure(meter, o.happyEvents()));

      rig.progress().phase("(3) bare poll loop + decode/validate" + of, "as the wrapper's triage, then counts");
      CountingHandler bd = new CountingHandler();
      String bdGroup = rig.groups().next();
      bareDecoding.add(rig.pollLoop().contender("(3) bare + decode/validate", PeerTopics.CLEAN, bdGroup,
          PeerHandlers.decodeAndCount(rig.triage(), bdGroup, bd), bd).measure(meter, o.happyEvents()));

      rig.progress().phase("(3) Sluice" + of, "QuarantiningConsumer, empty handler, strictly ordered");
      CountingHandler s = new CountingHandler();
      sluice.add(rig.sluice().contender("(3) Sluice", PeerTopics.CLEAN, rig.groups().next(), Concurrency.ordered(),
          s, s, s::calls, new SimpleMeterRegistry()).measure(meter, o.happyEvents()));

      rig.progress().phase("(2) Sluice, 10 % poison" + of, "the handler rejects every 10th record (PoisonPill)");
      CountingHandler sp = new CountingHandler();
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      sluicePoison.add(rig.sluice().contender("(2) Sluice poison", PeerTopics.POISON, rig.groups().next(),
          Concurrency.ordered(), SluiceHandlers.rejectingPoison(sp), sp,
          () -> sp.calls() + WrapperFactory.quarantined(meters), meters).measure(meter, o.events()));

      rig.progress().phase("(2) Sluice, 10 % poison, quarantine log" + of,
          "rejected records' items appended to Kafka (acks=all), indexed into DynamoDB behind");
      CountingHandler sl = new CountingHandler();
      SimpleMeterRegistry logMeters = new SimpleMeterRegistry();
      String logGroup = rig.groups().next();
      LogSettings log = LogSettings.of("peers-qlog-" + logGroup);
      sluiceLog.add(rig.sluice().contender("(2) Sluice poison, log", PeerTopics.POISON, logGroup,
          Concurrency.ordered(), SluiceHandlers.rejectingPoison(sl), sl,
          () -> sl.calls() + WrapperFactory.quarantined(logMeters), logMeters, builder -> builder.quarantineLog(log))
          .measure(meter, o.events(), () -> awaitIndexed(logMeters)));
      delays.add(IndexDelay.of(logMeters));

      rig.progress().phase("(2) Spring Kafka, 10 % poison" + of, "DefaultErrorHandler + DeadLetterPublishingRecoverer,"
          + " FixedBackOff(0, 0)");
      CountingHandler kp = new CountingHandler();
      String kpGroup = rig.groups().next();
      springPoison.add(rig.spring().contender("(2) Spring Kafka poison", PeerTopics.POISON, kpGroup,
          PeerHandlers.decodeRejectingPoison(rig.triage(), kpGroup, kp), kp, new AtomicLong())
          .measure(meter, o.events()));
    }
    String pairs = " (median of " + o.rounds() + " pairs)";
    report.reported("(3) bare KafkaConsumer poll loop, counts only, events/s",
        rate(median(bare)) + " " + rates(bare) + incomplete(bare), median(bare).rate());
    report.reported("(3) bare poll loop + decode/validate, events/s",
        rate(median(bareDecoding)) + " " + rates(bareDecoding) + incomplete(bareDecoding), median(bareDecoding).rate());
    report.reported("(3) Sluice, empty handler, events/s", rate(median(sluice)) + " " + rates(sluice)
        + incomplete(sluice), median(sluice).rate());
    report.atLeast("(3) happy path: Sluice vs bare poll loop + decode/validate" + pairs,
        "per pair " + ratios(sluice, bareDecoding), pairs(sluice, bareDecoding), 0.9);
    report.reported("(3) happy path: Sluice vs bare poll loop that does nothing with the bytes" + pairs,
        "per pair " + ratios(sluice, bare), pairs(sluice, bare));
    report.reported("(2) 10 % poison: Sluice, events/s", rate(median(sluicePoison)) + " " + rates(sluicePoison)
        + incomplete(sluicePoison), median(sluicePoison).rate());
    report.reported("(2) 10 % poison: Spring Kafka DLT, events/s", rate(median(springPoison)) + " "
        + rates(springPoison) + incomplete(springPoison), median(springPoison).rate());
    report.reported("(2) 10 % poison: Sluice with the quarantine log, events/s", rate(median(sluiceLog)) + " "
        + rates(sluiceLog) + incomplete(sluiceLog), median(sluiceLog).rate());
    report.reported("(2) 10 % poison, table first (no log): Sluice vs its own clean rate (3)" + pairs,
        "per pair " + ratios(sluicePoison, sluice), pairs(sluicePoison, sluice));
    report.atLeast("(2) 10 % poison, quarantine log: Sluice vs its own clean rate (3)" + pairs,
        "per pair " + ratios(sluiceLog, sluice), pairs(sluiceLog, sluice), 0.5);
    report.atLeast("(2) 10 % poison, quarantine log: Sluice vs Spring Kafka DefaultErrorHandler + DLT" + pairs,
        "per pair " + ratios(sluiceLog, springPoison), pairs(sluiceLog, springPoison), 1.0);
    report.reported("(2) quarantine log: a new item findable in the console (indexed) after, per round",
        String.join("; ", delays.stream().map(IndexDelay::text).toList()),
        delays.stream().mapToDouble(IndexDelay::p99Ms).max().orElse(0));
  }

  /** After a run with a quarantine log: waits (at most 3 min) until the indexer has written every item appended. */
  private static void awaitIndexed(SimpleMeterRegistry meters) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (IndexDelay.indexed(meters) < WrapperFactory.quarantined(meters) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
