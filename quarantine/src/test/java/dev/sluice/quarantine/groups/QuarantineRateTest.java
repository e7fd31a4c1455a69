package dev.sluice.quarantine.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.contracts.ReadContract;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A group's quarantine rate: counted per stream in the wrapper, turned into per-window counts for each heartbeat,
 * stored as item attributes, and aggregated over the live instances.
 */
class QuarantineRateTest {
  private static final Instant AT = Instant.parse("2025-03-01T10:15:30Z");

  @Test
  void countsFromManyThreadsAreAllKeptPerStream() throws Exception {
    OutcomeCounts counts = new OutcomeCounts();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      pool.submit(() -> {
        for (int i = 0; i < 10_000; i++) {
          counts.handled("retail");
          if (i % 10 == 0) {
            counts.quarantined("retail");
          }
        }
        counts.quarantined("payments");
      });
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    assertEquals(Map.of("retail", new OutcomeCounts.Totals(40_000, 4_000), "payments", new OutcomeCounts.Totals(0, 4)),
        counts.totals());
  }

  @Test
  void streamsBeyondTheHeartbeatsBoundAreNotCounted() {
    OutcomeCounts counts = new OutcomeCounts();
    for (int i = 0; i < GroupHeartbeat.MAX_STREAMS; i++) {
      counts.handled("s" + i);
    }
    counts.quarantined("one-too-many");
    counts.handled("s0");
    assertEquals(GroupHeartbeat.MAX_STREAMS, counts.totals().size());
    assertFalse(counts.totals().containsKey("one-too-many"));
    assertEquals(new OutcomeCounts.Totals(2, 0), counts.totals().get("s0"), "known streams still count");
  }

  @Test
  void eachWindowReportsWhatWasFinishedSinceThePreviousOne() {
    OutcomeCounts counts = new OutcomeCounts();
    OutcomeWindow window = new OutcomeWindow(counts);
    counts.handled("retail");
    assertEquals(Map.of(), window.next(Set.of("retail"), 1_000), "the first call only takes the starting point");

    for (int i = 0; i < 8; i++) {
      counts.handled("retail");
    }
    counts.quarantined("retail");
    counts.quarantined("retail");
    counts.quarantined("not-read-here");
    assertEquals(Map.of("retail", new StreamOutcomes(8, 2, 10.0), "payments", new StreamOutcomes(0, 0, 10.0)),
        window.next(Set.of("retail", "payments"), 11_000), "only the streams read; one not counted yet is 0");

    counts.quarantined("retail");
    assertEquals(Map.of(), window.next(Set.of("retail"), 11_000), "a clock that did not move reports nothing");
    assertEquals(Map.of("retail", new StreamOutcomes(0, 1, 5.0)), window.next(Set.of("retail"), 16_000),
        "and keeps the previous starting point");
  }

  @Test
  void aStreamsRateIsPerSecondOfItsWindowAndItsShareOfTheRecordsFinished() {
    StreamOutcomes o = new StreamOutcomes(98, 2, 10.0);
    assertEquals(0.2, o.quarantinedPerSecond(), 1e-9);
    QuarantineRate rate = QuarantineRate.of(List.of(o));
    assertEquals(0.02, rate.share().orElseThrow(), 1e-9);
    assertTrue(QuarantineRate.of(List.of(new StreamOutcomes(0, 0, 10.0))).share().isEmpty(), "nothing finished");
    assertThrows(IllegalArgumentException.class, () -> new StreamOutcomes(-1, 0, 10.0));
    assertThrows(IllegalArgumentException.class, () -> new StreamOutcomes(0, 0, 0.0));
    assertThrows(IllegalArgumentException.class, () -> new StreamOutcomes(0, 0, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> QuarantineRate.of(List.of()));
  }

  @Test
  void aGroupsRateIsTheSumOfItsInstancesRatesAndItsShareOfTheSummedCounts() {
    // Two instances, each over its own window: 4 in 10 s (0.4/s) and 3 in 5 s (0.6/s).
    GroupInstance a = instance("a", Map.of("retail", new StreamOutcomes(96, 4, 10.0)));
    GroupInstance b = instance("b", Map.of("retail", new StreamOutcomes(97, 3, 5.0),
        "payments", new StreamOutcomes(10, 0, 5.0)));
    GroupInstance old = instance("old", Map.of());
    GroupView view = GroupView.aggregate("g", List.of(a, b, old));

    QuarantineRate retail = view.quarantineRates().get("retail");
    assertEquals(1.0, retail.perSecond(), 1e-9);
    assertEquals(193, retail.handled());
    assertEquals(7, retail.quarantined());
    assertEquals(0.035, retail.share().orElseThrow(), 1e-9);
    assertEquals(10.0, retail.windowSeconds(), "the longest window");
    assertEquals(0.0, view.quarantineRates().get("payments").perSecond());
    assertEquals(Set.of("payments", "retail"), view.quarantineRates().keySet());

    assertEquals(Map.of(), GroupView.aggregate("g", List.of(old)).quarantineRates(),
        "an instance that reports no outcomes (an older build) gives no rate, not a rate of 0");
  }

  @Test
  void aHeartbeatCarriesItsOutcomesWithinTheStreamBound() {
    GroupHeartbeat hb = GroupHeartbeat.of("g", "i", "h", Set.of("retail"), Map.of())
        .withOutcomes(Map.of("retail", new StreamOutcomes(1, 2, 10.0)));
    assertEquals(Map.of("retail", new StreamOutcomes(1, 2, 10.0)), hb.outcomes());
    assertEquals(hb.outcomes(), hb.withContract(hb.contract()).outcomes(), "kept when the contract is set");
    Map<String, StreamOutcomes> tooMany = new HashMap<>();
    for (int i = 0; i <= GroupHeartbeat.MAX_STREAMS; i++) {
      tooMany.put("s" + i, new StreamOutcomes(0, 0, 1.0));
    }
    assertThrows(IllegalArgumentException.class, () -> hb.withOutcomes(tooMany));
    assertThrows(IllegalArgumentException.class, () -> hb.withOutcomes(Map.of(" ", new StreamOutcomes(0, 0, 1.0))));
  }

  @Test
  void outcomesAreWrittenAsAMapPerStreamAndReadBack() {
    TreeMap<String, StreamOutcomes> outcomes = new TreeMap<>(Map.of(
        "retail", new StreamOutcomes(98, 2, 10.012), "payments", new StreamOutcomes(0, 0, 10.012)));
    Map<String, AttributeValue> item = new HashMap<>();
    OutcomeAttributes.put(outcomes, item);
    Map<String, AttributeValue> retail = item.get("outcomes").m().get("retail").m();
    assertEquals("98", retail.get("handled").n());
    assertEquals("2", retail.get("quarantined").n());
    assertEquals(outcomes, OutcomeAttributes.read(item));

    Map<String, AttributeValue> none = new HashMap<>();
    OutcomeAttributes.put(new TreeMap<>(), none);
    assertEquals(Map.of(), none, "a first heartbeat stores no attribute");
    assertEquals(Map.of(), OutcomeAttributes.read(Map.of("group", AttributeValue.fromS("g"))),
        "an item older than the attribute reads as not reported");
  }

  @Test
  void invalidEntriesAreLeftOutAndTheRestKept() {
    Map<String, AttributeValue> item = Map.of("outcomes", AttributeValue.fromM(Map.of(
        "ok", AttributeValue.fromM(Map.of("handled", AttributeValue.fromN("1"),
            "quarantined", AttributeValue.fromN("0"), "windowSeconds", AttributeValue.fromN("10"))),
        "no-window", AttributeValue.fromM(Map.of("handled", AttributeValue.fromN("1"),
            "quarantined", AttributeValue.fromN("0"))),
        "negative", AttributeValue.fromM(Map.of("handled", AttributeValue.fromN("-1"),
            "quarantined", AttributeValue.fromN("0"), "windowSeconds", AttributeValue.fromN("10"))),
        "not-a-map", AttributeValue.fromS("x"))));
    assertEquals(Map.of("ok", new StreamOutcomes(1, 0, 10.0)), OutcomeAttributes.read(item));
  }

  private static GroupInstance instance(String id, Map<String, StreamOutcomes> outcomes) {
    return new GroupInstance(id, "host", new TreeSet<>(Set.of("retail", "payments")), new TreeMap<>(), AT,
        new TreeMap<>(), ReadContract.NONE, new TreeMap<>(outcomes));
  }
}
