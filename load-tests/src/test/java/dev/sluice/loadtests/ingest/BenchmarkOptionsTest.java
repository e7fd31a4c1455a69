package dev.sluice.loadtests.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.loadtests.method.Plan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchmarkOptionsTest {
  @Test
  void defaultsAreTheFullMethodWithAnEvenNumberOfRounds() {
    BenchmarkOptions o = BenchmarkOptions.parse(new String[0]);
    assertEquals(Plan.full(), o.plan());
    assertEquals(0, o.plan().rounds() % 2, "each pair as often in one order as in the other");
    assertEquals(Duration.ofSeconds(5), o.run());
    assertEquals(Duration.ofSeconds(10), o.latency());
    assertEquals(100, o.batchSize());
    assertEquals("dev-producer", o.apiKey());
    assertEquals(Optional.empty(), o.profile());
  }

  @Test
  void quickIsASmokeTestWithShortRuns() {
    BenchmarkOptions o = BenchmarkOptions.parse(new String[] {"--quick"});
    assertEquals(Plan.quick(), o.plan());
    assertTrue(o.plan().smoke());
    assertEquals(Duration.ofSeconds(2), o.run());
    assertEquals(Duration.ofSeconds(3), o.latency());
    assertTrue(o.ramp().compareTo(BenchmarkOptions.parse(new String[0]).ramp()) < 0);
  }

  @Test
  void roundsAndLengthsOverrideTheDefaultsOfEitherPlan() {
    BenchmarkOptions o = BenchmarkOptions.parse(new String[] {"--run-seconds", "3", "--quick", "--rounds", "4"});
    assertEquals(4, o.plan().rounds());
    assertTrue(o.plan().smoke());
    assertEquals(Duration.ofSeconds(3), o.run());
    BenchmarkOptions full = BenchmarkOptions.parse(new String[] {"--rounds", "7", "--latency-seconds", "5"});
    assertEquals(Plan.full().withRounds(7), full.plan());
    assertFalse(full.plan().smoke());
    assertEquals(Duration.ofSeconds(5), full.latency());
  }

  @Test
  void readsEveryOtherOption() {
    BenchmarkOptions o = BenchmarkOptions.parse(new String[] {"--connections", "8", "--batch-connections", "2",
        "--batch-size", "10", "--event-bytes", "2048", "--latency-load", "0.25", "--api-key", "k", "--set",
        "sluice.gateway.append.timeout=5s", "--out", "x.md", "--profile", "single.jfr"});
    assertEquals(8, o.connections());
    assertEquals(2, o.batchConnections());
    assertEquals(10, o.batchSize());
    assertEquals(2048, o.eventBytes());
    assertEquals(0.25, o.latencyLoad());
    assertEquals("k", o.apiKey());
    assertEquals(Map.of("sluice.gateway.append.timeout", "5s"), o.gatewayConfig());
    assertEquals(Optional.of(Path.of("x.md")), o.out());
    assertEquals(Optional.of(Path.of("single.jfr")), o.profile());
  }

  @Test
  void refusesWhatWouldMakeNoSense() {
    assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse(new String[] {"--run-seconds", "0"}));
    assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse(new String[] {"--rounds", "0"}));
    assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse(new String[] {"--rounds"}));
    assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse(new String[] {"--latency-load", "2"}));
    assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse(new String[] {"--set", "x=1"}));
    assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse(new String[] {"--bogus", "1"}));
    // The options of the fixed-phase benchmark are gone, not silently ignored.
    assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse(new String[] {"--phase-seconds", "3"}));
  }
}
