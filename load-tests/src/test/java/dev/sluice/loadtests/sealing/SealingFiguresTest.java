package dev.sluice.loadtests.sealing;

import static dev.sluice.loadtests.sealing.SealingFigures.GRANTED;
import static dev.sluice.loadtests.sealing.SealingFigures.KNOWN_COLD;
import static dev.sluice.loadtests.sealing.SealingFigures.NEW_SUBJECT;
import static dev.sluice.loadtests.sealing.SealingFigures.PLAIN_BATCHES;
import static dev.sluice.loadtests.sealing.SealingFigures.PLAIN_READ;
import static dev.sluice.loadtests.sealing.SealingFigures.SEALED_BATCHES;
import static dev.sluice.loadtests.sealing.SealingFigures.WARM_SINGLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.loadtests.method.Plan;
import dev.sluice.loadtests.method.Results;
import dev.sluice.loadtests.method.Warmup;
import dev.sluice.loadtests.report.Ratio;
import dev.sluice.loadtests.report.SuiteReport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SealingFiguresTest {
  private static Results results(Map<String, List<Double>> rates) {
    Map<String, List<Long>> gcs = new HashMap<>();
    Map<String, Warmup> warmups = new HashMap<>();
    rates.forEach((v, r) -> {
      gcs.put(v, r.stream().map(x -> 3L).toList());
      warmups.put(v, new Warmup(List.of(1.0, 1.0, 1.0), true));
    });
    return new Results(Plan.full().withRounds(rates.values().iterator().next().size()), rates, gcs, warmups);
  }

  private static final Results COLD = results(Map.of(WARM_SINGLE, List.of(100.0, 125.0, 100.0),
      NEW_SUBJECT, List.of(50.0, 50.0, 40.0), KNOWN_COLD, List.of(80.0, 125.0, 100.0)));

  @Test
  void aFirstEventsAddedCostIsTheDifferenceOfTimesPerEventInEachRound() {
    // Rounds: 20 - 10, 20 - 8, 25 - 10 ms.
    assertEquals(List.of(10.0, 12.0, 15.0), SealingFigures.addedMillis(COLD, NEW_SUBJECT, WARM_SINGLE).samples());
    assertEquals(12.0, SealingFigures.addedMillis(COLD, NEW_SUBJECT, WARM_SINGLE).median(), 1e-9);
    assertEquals(List.of(10.0, 8.0, 10.0), SealingFigures.millisPerEvent(COLD, WARM_SINGLE).samples());
  }

  @Test
  void ingestAndTheWrapperAreJudgedAgainstPointEightTheFirstEventsOnlyReported() {
    Results ingest = results(Map.of(SEALED_BATCHES, List.of(90.0, 85.0, 95.0), PLAIN_BATCHES,
        List.of(100.0, 100.0, 100.0)));
    Results read = results(Map.of(GRANTED, List.of(50.0, 60.0, 55.0), PLAIN_READ, List.of(100.0, 100.0, 100.0)));
    SuiteReport report = new SuiteReport(SealingFigures.SUITE, "t", false);
    new SealingFigures(ingest, read, COLD).addTo(report);
    List<Ratio> judged = report.ratios().stream().filter(Ratio::judged).toList();
    assertEquals(2, judged.size());
    assertEquals(Ratio.Result.PASS, judged.get(0).result(false));
    assertEquals(0.9, judged.get(0).value(), 1e-9);
    assertEquals(Ratio.Result.FAIL, judged.get(1).result(false));
    judged.forEach(r -> {
      assertEquals(0.8, r.target(), 1e-9);
      assertEquals(1.0, r.ceiling(), 1e-9);
    });
    // A known subject read cold that came out as fast as a warm one is not flagged; faster would be.
    Ratio known = report.ratios().stream().filter(r -> r.name().startsWith("(3) known subject")).findFirst()
        .orElseThrow();
    assertEquals(Ratio.Result.REPORTED, known.result(false));
  }
}
