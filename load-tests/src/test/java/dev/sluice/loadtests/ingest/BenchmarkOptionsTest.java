package dev.sluice.loadtests.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkOptionsTest {
  @Test
  void defaultsKeepTheWholeRunUnderThreeMinutes() {
    BenchmarkOptions o = BenchmarkOptions.parse(new String[0]);
    // At most seven phases of warm-up + measure; start-up and GCs take the rest.
    Duration phases = o.warmup().plus(o.measure()).multipliedBy(7);
    assertTrue(phases.compareTo(Duration.ofSeconds(150)) < 0, phases.toString());
    assertEquals(100, o.batchSize());
    assertEquals("dev-producer", o.apiKey());
  }

  @Test
  void readsEveryOption() {
    BenchmarkOptions o = BenchmarkOptions.parse(new String[] {"--phase-seconds", "2", "--warmup-seconds", "0",
        "--connections", "8", "--batch-connections", "2", "--batch-size", "10", "--event-bytes", "2048",
        "--latency-load", "0.25", "--api-key", "k", "--set", "sluice.gateway.append.timeout=5s"});
    assertEquals(Duration.ofSeconds(2), o.measure());
    assertEquals(Duration.ZERO, o.warmup());
    assertEquals(8, o.connections());
    assertEquals(2, o.batchConnections());
    assertEquals(10, o.batchSize());
    assertEquals(2048, o.eventBytes());
    assertEquals(0.25, o.latencyLoad());
    assertEquals("k", o.apiKey());
    assertEquals(Map.of("sluice.gateway.append.timeout", "5s"), o.gatewayConfig());
  }

  @Test
  void refusesWhatWouldMakeNoSense() {
    assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse(new String[] {"--phase-seconds", "0"}));
    assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse(new String[] {"--phase-seconds"}));
    assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse(new String[] {"--latency-load", "2"}));
    assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse(new String[] {"--set", "x=1"}));
    assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse(new String[] {"--bogus", "1"}));
  }
}
