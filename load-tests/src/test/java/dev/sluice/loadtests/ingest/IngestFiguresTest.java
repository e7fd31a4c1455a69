package dev.sluice.loadtests.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.loadtests.method.Plan;
import dev.sluice.loadtests.method.Results;
import dev.sluice.loadtests.method.Warmup;
import dev.sluice.loadtests.report.Ratio;
import dev.sluice.loadtests.report.Ratio.Result;
import dev.sluice.loadtests.report.SuiteReport;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestFiguresTest {
  private final BenchmarkOptions options = BenchmarkOptions.parse(new String[0]);

  private static Results results(Map<IngestVariant, List<Double>> rates) {
    Map<String, List<Double>> byName = new LinkedHashMap<>();
    Map<String, List<Long>> gcs = new LinkedHashMap<>();
    Map<String, Warmup> warmups = new LinkedHashMap<>();
    rates.forEach((v, r) -> {
      byName.put(v.label(), r);
      gcs.put(v.label(), r.stream().map(x -> 4L).toList());
      warmups.put(v.label(), new Warmup(List.of(r.get(0), r.get(0)), true));
    });
    return new Results(Plan.full().withRounds(rates.values().iterator().next().size()), byName, gcs, warmups);
  }

  private SuiteReport report(Map<IngestVariant, List<Double>> rates, String validationProblem) {
    Map<IngestVariant, List<Double>> cores = new EnumMap<>(IngestVariant.class);
    Map<IngestVariant, StatusCounts> answers = new EnumMap<>(IngestVariant.class);
    rates.keySet().forEach(v -> {
      cores.put(v, List.of(1.9));
      answers.put(v, new StatusCounts());
    });
    PacedLoad.Result latency = new PacedLoad.Result(100, 100, 1000, 1000, 0,
        Percentiles.of(new long[] {5_000_000, 6_000_000, 40_000_000}), new StatusCounts());
    HeapWatch.Summary memory = new HeapWatch.Summary(100, 104, new HeapWatch.Series(3, 100, 300, 400),
        new HeapWatch.Series(2, 110, 120, 120));
    SuiteReport report = new SuiteReport(IngestFigures.SUITE, "Ingest benchmark", false);
    new IngestFigures(options, results(rates), cores, answers, 2, null, latency, memory, validationProblem, null)
        .addTo(report);
    return report;
  }

  private static Ratio named(SuiteReport report, String name) {
    return report.ratios().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(
        () -> new AssertionError("no ratio " + name + " in " + report.ratios()));
  }

  private static Map<IngestVariant, List<Double>> allVariants(List<Double> batchOn) {
    Map<IngestVariant, List<Double>> rates = new EnumMap<>(IngestVariant.class);
    rates.put(IngestVariant.RAW, List.of(100.0, 100.0, 100.0));
    rates.put(IngestVariant.BATCH_ON, batchOn);
    rates.put(IngestVariant.BATCH_OFF, List.of(50.0, 50.0, 50.0));
    rates.put(IngestVariant.SINGLE_OFF, List.of(20.0, 20.0, 20.0));
    rates.put(IngestVariant.SINGLE_ON, List.of(19.0, 18.0, 20.0));
    rates.put(IngestVariant.BARE, List.of(60.0, 60.0, 50.0));
    return rates;
  }

  @Test
  void everyRatioIsTheMedianOfItsPerRoundPairsWithItsTargetAndCeiling() {
    SuiteReport report = report(allVariants(List.of(40.0, 45.0, 44.0)), null);
    Ratio batch = named(report, "(b) batch ingest / raw Kafka producer");
    assertEquals(0.44, batch.value(), 1e-9);
    assertEquals(List.of(0.40, 0.45, 0.44), batch.estimate().samples());
    assertEquals(IngestFigures.BATCH_TARGET, batch.target());
    assertEquals(1.0, batch.ceiling());
    assertEquals(Result.FAIL, batch.result(false));

    Ratio single = named(report, "(c) single-event ingest / bare Vert.x handler");
    // Per round: 19/60, 18/60, 20/50; the median is the middle pair, not the ratio of the medians (19/60).
    assertEquals(List.of(19.0 / 60, 18.0 / 60, 20.0 / 50), single.estimate().samples());
    assertEquals(19.0 / 60, single.value(), 1e-9);
    assertEquals(1.0, single.ceiling());

    Ratio validation = named(report, "(d) validation on / off, single events");
    assertEquals(0.95, validation.value(), 1e-9);
    assertEquals(IngestFigures.VALIDATION_TARGET, validation.target());
    assertEquals(1.0, validation.ceiling());
    assertTrue(validation.measured().startsWith("cost = 1 − on/off = 5 %"), validation.measured());
    assertEquals(Result.PASS, validation.result(false));

    // ./sluice bench finds the single-event rate by this exact name (BenchMain.INGEST_SINGLE_RATE).
    Ratio rate = named(report, "(c) single-event ingest, events/s");
    assertEquals(19.0, rate.value(), 1e-9);
    assertEquals(Result.REPORTED, rate.result(false));

    // Live 100 MiB before, 104 after; the limit is 100 + max(32, 25) MiB.
    Ratio memory = named(report, "memory: live heap after (e) / its limit (before + max(32 MiB, 25 %))");
    assertEquals(104.0 / 132, memory.value(), 1e-9);
    assertEquals(Result.PASS, memory.result(false));
  }

  @Test
  void aGatewayFasterThanItsCeilingIsAMeasurementErrorNotAPass() {
    SuiteReport report = report(allVariants(List.of(140.0, 150.0, 160.0)), null);
    assertEquals(Result.ABOVE_CEILING, named(report, "(b) batch ingest / raw Kafka producer").result(false));
    // Validation on beating validation off by more than noise is one too.
    assertEquals(Result.ABOVE_CEILING, named(report, "(d) validation on / off, batches").result(false));
  }

  @Test
  void withoutTheGatewayWithoutValidationTheValidationFiguresAreNotMeasuredAndSayWhy() {
    Map<IngestVariant, List<Double>> rates = allVariants(List.of(40.0, 45.0, 44.0));
    rates.remove(IngestVariant.BATCH_OFF);
    rates.remove(IngestVariant.SINGLE_OFF);
    SuiteReport report = report(rates, "it did not start");
    assertEquals(Result.NOT_MEASURED, named(report, "(d) validation on / off, single events").result(false));
    assertEquals(Result.NOT_MEASURED, named(report, "(d) validation on / off, batches").result(false));
    assertTrue(report.markdown().contains("- (d): it did not start"), report.markdown());
    assertEquals(Result.FAIL, named(report, "(b) batch ingest / raw Kafka producer").result(false));
  }
}
