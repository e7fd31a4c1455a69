package dev.sluice.loadtests.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {
  private static LoadOptions parse(String... args) {
    return LoadOptions.parse(args);
  }

  private static String refusal(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(args)).getMessage();
  }

  @Test
  void defaultsTargetTheLocalDevStack() {
    LoadOptions o = parse("steady");
    assertEquals(Scenario.STEADY, o.scenario());
    assertEquals(URI.create("http://127.0.0.1:8080"), o.gateway());
    assertEquals(URI.create("http://127.0.0.1:8081"), o.console());
    assertEquals(URI.create("http://127.0.0.1:8082"), o.demo());
    assertFalse(o.allowRemote());
    assertEquals(100, o.rate());
    assertEquals(Duration.ofSeconds(30), o.duration());
    assertEquals(Duration.ofSeconds(10), o.warmup());
    assertEquals(Duration.ofSeconds(40), o.loadDuration());
    assertEquals("dev-producer", o.apiKey());
  }

  @Test
  void readsTheOptions() {
    LoadOptions o = parse("redrive", "--rate", "200", "--duration", "2m", "--warmup", "5s", "--items", "5000",
        "--redrive-rate", "50", "--group", "g", "--target", "http://localhost:9000/", "--api-key", "k");
    assertEquals(Scenario.REDRIVE, o.scenario());
    assertEquals(200, o.rate());
    assertEquals(Duration.ofMinutes(2), o.duration());
    assertEquals(Duration.ofSeconds(5), o.warmup());
    assertEquals(5000, o.items());
    assertEquals(50, o.redriveRate());
    assertEquals("g", o.group());
    assertEquals(URI.create("http://localhost:9000"), o.gateway());
    assertEquals("k", o.apiKey());
  }

  @Test
  void durationsTakeUnits() {
    assertEquals(Duration.ofMillis(250), LoadOptions.duration("--x", "250ms"));
    assertEquals(Duration.ofSeconds(20), LoadOptions.duration("--x", "20s"));
    assertEquals(Duration.ofSeconds(20), LoadOptions.duration("--x", "20"));
    assertEquals(Duration.ofMinutes(3), LoadOptions.duration("--x", "3m"));
    assertThrows(IllegalArgumentException.class, () -> LoadOptions.duration("--x", "3h"));
    assertThrows(IllegalArgumentException.class, () -> LoadOptions.duration("--x", "-1s"));
  }

  @Test
  void refusesNonLoopbackTargetsUnlessAllowed() {
    assertTrue(refusal("steady", "--target", "http://10.1.2.3:8080").contains("--allow-remote"));
    assertTrue(refusal("redrive", "--console", "http://192.0.2.7:8081").contains("not a loopback address"));
    assertTrue(refusal("poison", "--demo", "http://192.0.2.7:8082").contains("not a loopback address"));
    LoadOptions o = parse("steady", "--target", "http://10.1.2.3:8080", "--allow-remote");
    assertTrue(o.allowRemote());
    assertEquals(URI.create("http://10.1.2.3:8080"), o.gateway());
  }

  @Test
  void acceptsEveryLoopbackSpelling() {
    assertEquals("localhost", parse("steady", "--target", "http://localhost:8080").gateway().getHost());
    assertEquals("127.0.0.2", parse("steady", "--target", "http://127.0.0.2:8080").gateway().getHost());
    assertEquals("[::1]", parse("steady", "--target", "http://[::1]:8080").gateway().getHost());
  }

  @Test
  void refusesWhatIsNotAnHttpUrl() {
    assertTrue(refusal("steady", "--target", "ftp://127.0.0.1").contains("http://"));
    assertTrue(refusal("steady", "--target", "127.0.0.1:8080").contains("http://"));
  }

  @Test
  void hardCapsHoldWhateverTheOptions() {
    assertTrue(refusal("steady", "--rate", "5001").contains("--rate"));
    assertTrue(refusal("steady", "--rate", "0").contains("--rate"));
    assertTrue(refusal("steady", "--duration", "11m").contains("--duration"));
    assertTrue(refusal("steady", "--warmup", "2m").contains("--warmup"));
    assertTrue(refusal("redrive", "--items", "100001").contains("--items"));
    assertTrue(refusal("redrive", "--redrive-rate", "1001").contains("--redrive-rate"));
    assertTrue(refusal("ramp", "--ramp-max", "6000").contains("--ramp-max"));
    // 5000/s for 10 minutes is within the rate and duration caps, not within the request cap.
    assertTrue(refusal("steady", "--rate", "5000", "--duration", "10m").contains("1,000,000"));
    // Warm-up: a ramp from 1/s to 200/s over 5 s, about (1 + 200) / 2 * 5 requests.
    assertEquals(200 * 60 + 503, parse("steady", "--rate", "200", "--duration", "1m", "--warmup", "5s")
        .plannedRequests());
  }

  @Test
  void aRampLongerThanTenMinutesIsRefused() {
    assertTrue(refusal("ramp", "--ramp-start", "10", "--ramp-step", "10", "--ramp-max", "1000").contains("10 min"));
    LoadOptions o = parse("ramp", "--ramp-start", "50", "--ramp-step", "50", "--ramp-max", "500",
        "--step-duration", "5s", "--max-p99", "100ms", "--max-errors", "0.05");
    assertEquals(10, o.ramp().levels());
    assertEquals(Duration.ofSeconds(50), o.ramp().totalDuration());
    assertEquals(Duration.ofSeconds(60), o.loadDuration());
    assertEquals(Duration.ofMillis(100), o.ramp().maxP99());
    assertEquals(0.05, o.ramp().maxErrorRatio());
  }

  @Test
  void rampStepsAreWholeSecondsAndOfferTheirRate() {
    assertTrue(refusal("ramp", "--step-duration", "2500ms").contains("whole seconds"));
    LoadOptions o = parse("ramp", "--ramp-start", "100", "--ramp-step", "100", "--ramp-max", "300",
        "--step-duration", "10s", "--warmup", "4s");
    assertEquals(1 + 99 * 0.5 / 4, o.offeredAt(0), 1e-9);
    assertEquals(100, o.offeredAt(4));
    assertEquals(100, o.offeredAt(13));
    assertEquals(200, o.offeredAt(14));
    assertEquals(300, o.offeredAt(33));
    assertEquals(300, o.offeredAt(99));
  }

  @Test
  void unknownScenarioOrOptionIsExplained() {
    assertTrue(refusal("soak").contains("steady, ramp, invalid, poison, redrive"));
    assertTrue(refusal("steady", "--rat", "3").contains("unknown option --rat"));
    assertTrue(refusal("steady", "--rate").contains("needs a value"));
    assertTrue(refusal().contains("usage"));
    assertTrue(refusal("--help").contains("usage"));
  }

  @org.junit.jupiter.api.Test
  void helpAnywhereOnTheCommandLineIsAskedFor() {
    assertTrue(LoadOptions.wantsHelp(new String[] {"--help"}));
    assertTrue(LoadOptions.wantsHelp(new String[] {"steady", "--rate", "10", "-h"}));
    assertFalse(LoadOptions.wantsHelp(new String[] {"steady", "--rate", "10"}));
  }
}
