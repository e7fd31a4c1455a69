package dev.sluice.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.consumer.Concurrency;
import dev.sluice.quarantine.consumer.DelayedRetry;
import dev.sluice.quarantine.consumer.WrapperConfig;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.storm.StormBreaker;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo group's tiers from {@code sluice.demo.retry.*} (in place) and {@code sluice.demo.delayed.*} (delayed). */
class DemoWrapperConfigTest {
  private static WrapperConfig read(Map<String, String> keys) {
    return SluiceConfig.from(RawConfig.of(keys)).demoWrapper();
  }

  @Test
  void theDefaultsAreTheDevPolicies() {
    WrapperConfig c = read(Map.of());
    assertEquals(BackoffPolicy.dev(), c.backoff());
    assertEquals(DelayedRetry.dev(), c.delayed());
    assertEquals(Duration.ofSeconds(5), c.laneRefresh());
    assertEquals(Duration.ofSeconds(1), c.errorBackoff());
    assertEquals(new Concurrency(16, 64), c.concurrency());
    assertEquals(StormBreaker.defaults(), c.stormBreaker());
  }

  @Test
  void theStormBreakerIsConfigurableAndCheckedAtStartUp() {
    WrapperConfig c = read(Map.of("sluice.demo.storm.share", "0.8", "sluice.demo.storm.window", "1000",
        "sluice.demo.storm.min.failures", "100"));
    assertEquals(new StormBreaker(true, 0.8, 1000, 100), c.stormBreaker());
    assertFalse(read(Map.of("sluice.demo.storm.enabled", "false")).stormBreaker().enabled());
    ConfigException share = assertThrows(ConfigException.class, () -> read(Map.of("sluice.demo.storm.share", "1.5")));
    assertTrue(share.getMessage().contains("storm share"), share.getMessage());
    assertThrows(ConfigException.class, () -> read(Map.of("sluice.demo.storm.window", "10")),
        "a window smaller than the minimum of failures");
  }

  @Test
  void concurrencyIsConfigurableAndOneKeepsStrictOffsetOrder() {
    WrapperConfig c = read(Map.of("sluice.demo.concurrency.per.partition", "1",
        "sluice.demo.concurrency.per.consumer", "4"));
    assertEquals(new Concurrency(1, 4), c.concurrency());
    assertFalse(c.concurrency().concurrent());
    assertThrows(RuntimeException.class, () -> read(Map.of("sluice.demo.concurrency.per.partition", "0")));
  }

  @Test
  void everyTierIsConfigurable() {
    WrapperConfig c = read(Map.ofEntries(
        Map.entry("sluice.demo.retry.max.attempts", "4"),
        Map.entry("sluice.demo.retry.initial.interval", "100ms"),
        Map.entry("sluice.demo.retry.max.interval", "1s"),
        Map.entry("sluice.demo.retry.jitter", "decorrelated"),
        Map.entry("sluice.demo.retry.max.elapsed", "3s"),
        Map.entry("sluice.demo.delayed.max.retries", "6"),
        Map.entry("sluice.demo.delayed.initial.interval", "30s"),
        Map.entry("sluice.demo.delayed.max.interval", "2h"),
        Map.entry("sluice.demo.delayed.jitter", "full"),
        Map.entry("sluice.demo.delayed.max.elapsed", "12h"),
        Map.entry("sluice.demo.lane.refresh.interval", "2s")));
    assertEquals(new BackoffPolicy(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 4,
        BackoffPolicy.Jitter.DECORRELATED, Optional.of(Duration.ofSeconds(3))), c.backoff());
    assertEquals(6, c.delayed().maxRetries());
    assertEquals(Duration.ofHours(2), c.delayed().backoff().maxInterval());
    assertEquals(BackoffPolicy.Jitter.FULL, c.delayed().backoff().jitter());
    assertEquals(Optional.of(Duration.ofHours(12)), c.delayed().backoff().maxElapsed());
    assertEquals(Duration.ofSeconds(2), c.laneRefresh());
  }

  @Test
  void theDelayedTierCanBeTurnedOff() {
    assertFalse(read(Map.of("sluice.demo.delayed.enabled", "false")).delayed().enabled());
    assertFalse(read(Map.of("sluice.demo.delayed.max.retries", "0")).delayed().enabled());
    assertTrue(read(Map.of()).delayed().enabled());
  }

  @Test
  void badValuesAreReportedByKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> read(Map.of("sluice.demo.delayed.wait", "30s", "sluice.demo.retry.jitter", "some")));
    assertTrue(e.getMessage().contains("sluice.demo.retry.jitter"), e.getMessage());
    assertTrue(e.getMessage().contains("sluice.demo.delayed"), e.getMessage());
  }
}
