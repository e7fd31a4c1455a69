package dev.sluice.loadtests.ingest;

import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.method.Results;
import dev.sluice.loadtests.report.Ratio;
import dev.sluice.loadtests.report.SuiteReport;
import dev.sluice.loadtests.report.SuiteReport.Verdict;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The ingest benchmark's table, from what it measured: the rounds' rates and per-round ratios, then the one-off
 * latency and memory checks. Every compared figure is the median of per-round pairs with its spread; the ones that
 * compare a variant with the same work done without the gateway's extras carry a ceiling of 1.0, so that a variant
 * beating its own ceiling is reported as a measurement error, not a pass.
 *
 * @param results the rounds (variants that could not run are absent)
 * @param cores the cores the JVM kept busy during each variant's runs, warm-ups included
 * @param answers the HTTP variants' measured answers
 * @param producers how many producers the raw producer variant ran
 * @param rawFailures the raw producer's failed sends, described; null when none failed
 * @param latency (e)
 * @param memory the heap during (e)
 * @param validationProblem why (d) was not measured, or null
 * @param batchProblem why batches were not measured, or null
 */
record IngestFigures(BenchmarkOptions options, Results results, Map<IngestVariant, List<Double>> cores,
    Map<IngestVariant, StatusCounts> answers, int producers, String rawFailures, PacedLoad.Result latency,
    HeapWatch.Summary memory, String validationProblem, String batchProblem) {
  static final String SUITE = "ingest";
  static final double BATCH_TARGET = 0.6;
  static final double SINGLE_TARGET = 0.5;
  /** Validation on / off at least this: validation costs at most 25 % of the throughput. */
  static final double VALIDATION_TARGET = 0.75;
  /** A variant over the same work without the gateway's extras, or validation on over off, cannot exceed 1. */
  static final double CEILING = 1.0;
  /** The name {@code ./sluice bench} finds the single-event rate by (BenchMain.INGEST_SINGLE_RATE). */
  static final String SINGLE_RATE = "(c) single-event ingest, events/s";

  void addTo(SuiteReport report) {
    report.row("(a) Raw Kafka producer: " + producers + " KafkaProducer(s) as the gateway has, its settings, "
        + "the same records and topic", rate(IngestVariant.RAW), "1.00", "the ceiling of (b)", Verdict.BASELINE);
    report.atLeast("(b) batch ingest / raw Kafka producer", versus(IngestVariant.BATCH_ON, IngestVariant.RAW),
        ratio(IngestVariant.BATCH_ON, IngestVariant.RAW), BATCH_TARGET, CEILING);
    report.row("(c) Bare Vert.x handler: reads the POST, answers 202, as many event loops as the gateway",
        rate(IngestVariant.BARE), "1.00", "the ceiling of (c)", Verdict.BASELINE);
    report.atLeast("(c) single-event ingest / bare Vert.x handler",
        versus(IngestVariant.SINGLE_ON, IngestVariant.BARE), ratio(IngestVariant.SINGLE_ON, IngestVariant.BARE),
        SINGLE_TARGET, CEILING);
    report.reported(SINGLE_RATE, options.connections() + " keep-alive connections, median of the rounds",
        measured(IngestVariant.SINGLE_ON) ? results.rate(IngestVariant.SINGLE_ON.label()) : Estimate.NONE);
    validation(report, "single events", IngestVariant.SINGLE_ON, IngestVariant.SINGLE_OFF);
    validation(report, "batches", IngestVariant.BATCH_ON, IngestVariant.BATCH_OFF);

    Percentiles l = latency.latencies();
    report.add(Ratio.reported(SUITE, String.format("(e) ack latency p99 (ms) at %.0f %% of (c)",
            options.latencyLoad() * 100), Estimate.single(l.percentile(99) / 1e6),
        String.format("p50 %s, p99 %s (p99.9 %s, max %s); %,.0f requests/s offered, %,.0f accepted/s; open model, "
                + "from each request's scheduled send time", millis(l.percentile(50)), millis(l.percentile(99)),
            millis(l.percentile(99.9)), millis(l.max()), latency.offeredPerSecond(), latency.acceptedPerSecond())));
    HeapWatch.Series used = memory.usedMb();
    HeapWatch.Series afterGc = memory.afterGcMb();
    // The same criterion as Summary.flat(), as a ratio of the live heap after over the most it may be. Not the
    // growth over the allowance: the growth is a MiB or two, so that ratio doubled from one run to the next on noise.
    long limitMb = memory.liveBeforeMb() + Math.max(32, memory.liveBeforeMb() / 4);
    report.add(Ratio.atMost(SUITE, "memory: live heap after (e) / its limit (before + max(32 MiB, 25 %))",
        (double) memory.liveAfterMb() / limitMb, 1.0,
        String.format("heap during (e), whole JVM: in use (every %d ms) start %d, end %d, max %d MiB; after each of "
                + "%d GCs first %d, last %d, max %d MiB; live after full GC %d before, %d after (limit %d MiB)",
            HeapWatch.SAMPLE_MS, used.first(), used.last(), used.max(), afterGc.count(), afterGc.first(),
            afterGc.last(), afterGc.max(), memory.liveBeforeMb(), memory.liveAfterMb(), limitMb)));

    notes(report);
  }

  private void validation(SuiteReport report, String what, IngestVariant on, IngestVariant off) {
    String name = "(d) validation on / off, " + what;
    if (!measured(on) || !measured(off)) {
      report.atLeast(name, "not measured", Estimate.NONE, VALIDATION_TARGET, CEILING);
      return;
    }
    Estimate ratio = ratio(on, off);
    Estimate cost = ratio.map(r -> 1 - r);
    report.atLeast(name, String.format("cost = 1 − on/off = %.0f %% (IQR %.0f–%.0f %%); %s", cost.median() * 100,
        cost.q1() * 100, cost.q3() * 100, versus(on, off)), ratio, VALIDATION_TARGET, CEILING);
  }

  private void notes(SuiteReport report) {
    if (validationProblem != null) {
      report.note("(d): " + validationProblem);
    }
    if (batchProblem != null) {
      report.note("(b): " + batchProblem);
    }
    if (rawFailures != null) {
      report.note("(a): " + rawFailures);
    }
    answers.forEach((v, a) -> {
      if (a.notAccepted() > 0) {
        report.note(v.label() + ": answers " + a.describe());
      }
    });
    if (latency.answers().notAccepted() > 0 || latency.unanswered() > 0) {
      report.note("(e): answers " + latency.answers().describe() + (latency.unanswered() > 0
          ? "; " + latency.unanswered() + " requests unanswered, counted with the time waited" : ""));
    }
    report.note("Rates per run, in the order measured: " + results.ratesText() + ".");
    report.note("Cores busy (this JVM's CPU time over wall time, median of each variant's runs; near the core count "
        + "means bound by CPU, not by the load): " + cores.entrySet().stream()
            .map(e -> String.format("%s %.2f", e.getKey().label(),
                Estimate.of(e.getValue().stream().filter(Double::isFinite).toList()).median()))
            .collect(Collectors.joining("; ")) + ".");
    report.note("(d) is measured on the same gateway: validation off posts events of a twin type, "
        + GatewayUnderTest.UNCHECKED_TYPE + ", on the same stream with the same partition key, whose schema is {} "
        + "(accepts anything): data is still parsed and keyed, only the schema check is gone.");
    report.note("Throughput runs are closed-model (each connection waits for its answer before the next request); "
        + "only 2xx answers count. Latency (e) is open-model: requests are due on a fixed schedule and timed from "
        + "their due time, so queueing is not hidden (coordinated omission).");
  }

  private boolean measured(IngestVariant v) {
    return results.rates().containsKey(v.label());
  }

  private Estimate ratio(IngestVariant measured, IngestVariant baseline) {
    return measured(measured) && measured(baseline) ? results.ratio(measured.label(), baseline.label())
        : Estimate.NONE;
  }

  /** "43,326 vs 28,499 events/s" style: the two medians, or "not measured". */
  private String versus(IngestVariant measured, IngestVariant baseline) {
    if (!measured(measured) || !measured(baseline)) {
      return "not measured";
    }
    return String.format("%,.0f %s vs %,.0f %s (medians)", results.rate(measured.label()).median(), measured.unit(),
        results.rate(baseline.label()).median(), baseline.unit());
  }

  private String rate(IngestVariant v) {
    return measured(v) ? results.rate(v.label()).describe("runs") + " " + v.unit() : "not measured";
  }

  private static String millis(long nanos) {
    return String.format("%.1f ms", nanos / 1e6);
  }
}
