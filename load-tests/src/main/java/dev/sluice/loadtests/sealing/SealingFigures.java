package dev.sluice.loadtests.sealing;

import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.method.Results;
import dev.sluice.loadtests.report.Ratio;
import dev.sluice.loadtests.report.SuiteReport;
import java.util.ArrayList;
import java.util.List;

/**
 * The sealing suite's table from what its three parts measured: (1) batch ingest sealed ÷ the same events unmarked and
 * (2) the wrapper of a granted group on sealed records ÷ the wrapper on the same data unsealed, both judged against
 * {@value #TARGET}; (3) the cost of a subject's first event, reported only.
 *
 * @param ingest (1)'s rounds: {@link #SEALED_BATCHES} and {@link #PLAIN_BATCHES}
 * @param read (2)'s rounds: {@link #GRANTED} and {@link #PLAIN_READ}
 * @param cold (3)'s rounds: {@link #WARM_SINGLE}, {@link #NEW_SUBJECT} and {@link #KNOWN_COLD}
 */
record SealingFigures(Results ingest, Results read, Results cold) {
  static final String SUITE = "sealing";
  static final double TARGET = 0.80;
  /** Each measured variant does its baseline's work and more (sealing, unsealing, a key call). */
  static final double CEILING = 1.0;

  static final String SEALED_BATCHES = "batch ingest, sealed";
  static final String PLAIN_BATCHES = "batch ingest, encryption off";
  static final String GRANTED = "wrapper, granted, sealed records";
  static final String PLAIN_READ = "wrapper, the same records unsealed";
  static final String WARM_SINGLE = "single event, warm subject";
  static final String NEW_SUBJECT = "single event, new subject";
  static final String KNOWN_COLD = "single event, known subject not in the cache";

  /** Adds the rows, in the order (1), (2), (3). */
  void addTo(SuiteReport report) {
    report.reported("(1) batch ingest, 3 values sealed per event (events/s)", perRun(ingest, SEALED_BATCHES),
        ingest.rate(SEALED_BATCHES));
    report.reported("(1) batch ingest, encryption off: the same events of the unmarked twin type (events/s)",
        perRun(ingest, PLAIN_BATCHES), ingest.rate(PLAIN_BATCHES));
    report.atLeast("(1) batch ingest, sealed ÷ encryption off (same data, same gateway and stream; the type without "
        + "its marks)", pair(ingest, SEALED_BATCHES, PLAIN_BATCHES), ingest.ratio(SEALED_BATCHES, PLAIN_BATCHES),
        TARGET, CEILING);
    report.reported("(2) wrapper, granted group, 3 values opened per record (events/s)", perRun(read, GRANTED),
        read.rate(GRANTED));
    report.reported("(2) wrapper on the same data, unsealed (the unmarked twin type) (events/s)",
        perRun(read, PLAIN_READ), read.rate(PLAIN_READ));
    report.atLeast("(2) wrapper, granted, on sealed records ÷ the wrapper on the same records unsealed",
        pair(read, GRANTED, PLAIN_READ), read.ratio(GRANTED, PLAIN_READ), TARGET, CEILING);
    report.reported("(3) one event alone, warm subject (ms per event)", perRun(cold, WARM_SINGLE),
        millisPerEvent(cold, WARM_SINGLE));
    report.reported("(3) first event of a new subject: key made (read, then a conditional write) (ms per event)",
        perRun(cold, NEW_SUBJECT), millisPerEvent(cold, NEW_SUBJECT));
    report.reported("(3) first event of a known subject not in the cache: key read and unwrapped (ms per event)",
        perRun(cold, KNOWN_COLD), millisPerEvent(cold, KNOWN_COLD));
    report.reported("(3) added by a new subject's key (ms, per round: new − warm)", perRoundText(cold, NEW_SUBJECT),
        addedMillis(cold, NEW_SUBJECT, WARM_SINGLE));
    report.reported("(3) added by reading a known subject's key (ms, per round: cold cache − warm)",
        perRoundText(cold, KNOWN_COLD), addedMillis(cold, KNOWN_COLD, WARM_SINGLE));
    report.add(Ratio.reported(SUITE, "(3) new subject ÷ warm subject, events/s one at a time",
        cold.ratio(NEW_SUBJECT, WARM_SINGLE), pair(cold, NEW_SUBJECT, WARM_SINGLE)).withCeiling(CEILING));
    report.add(Ratio.reported(SUITE, "(3) known subject, cold cache ÷ warm subject, events/s one at a time",
        cold.ratio(KNOWN_COLD, WARM_SINGLE), pair(cold, KNOWN_COLD, WARM_SINGLE)).withCeiling(CEILING));
  }

  /** Milliseconds per event of a variant run one event at a time: 1000 / its rate, per run. */
  static Estimate millisPerEvent(Results results, String variant) {
    return Estimate.of(results.rates(variant).stream().filter(r -> r > 0).map(r -> 1000 / r).toList());
  }

  /**
   * What a variant adds to each event over its baseline, in milliseconds: per round, the difference of their times
   * per event (both ran in that round, one event at a time); their median and spread.
   */
  static Estimate addedMillis(Results results, String variant, String baseline) {
    List<Double> v = results.rates(variant);
    List<Double> b = results.rates(baseline);
    List<Double> added = new ArrayList<>();
    for (int i = 0; i < Math.min(v.size(), b.size()); i++) {
      if (v.get(i) > 0 && b.get(i) > 0) {
        added.add(1000 / v.get(i) - 1000 / b.get(i));
      }
    }
    return Estimate.of(added);
  }

  private static String perRun(Results results, String variant) {
    return "per run " + results.rate(variant).samplesText()
        + (variant.startsWith("single") ? " events/s" : "");
  }

  private static String perRoundText(Results results, String variant) {
    return "ms per event, median of rounds: " + Estimate.format(millisPerEvent(results, variant).median())
        + " vs " + Estimate.format(millisPerEvent(results, WARM_SINGLE).median()) + " warm";
  }

  /** The two medians behind a ratio, and its per-round samples. */
  private static String pair(Results results, String measured, String baseline) {
    return String.format("%s vs %s events/s (medians); per round %s",
        Estimate.format(results.rate(measured).median()), Estimate.format(results.rate(baseline).median()),
        results.ratio(measured, baseline).samplesText());
  }
}
