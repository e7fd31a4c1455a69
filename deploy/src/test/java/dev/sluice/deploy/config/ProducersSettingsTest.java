package dev.sluice.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice.producers.*}: the table the gateway reports each API key's appends to, how often, and how long a
 * report is kept; checked at start-up like every other key.
 */
class ProducersSettingsTest {
  @Test
  void theDefaultsAreFifteenSecondReportsKeptADayInSluiceProducers() {
    ProducersSettings p = SluiceConfig.from(RawConfig.empty()).producers();
    assertEquals(new ProducersSettings("sluice-producers", Duration.ofSeconds(15), Duration.ofHours(24)), p);
  }

  @Test
  void everySettingIsConfigurable() {
    ProducersSettings p = SluiceConfig.from(RawConfig.of(Map.of("sluice.producers.table", "ops-producers",
        "sluice.producers.report.interval", "1m", "sluice.producers.retention", "3m"))).producers();
    assertEquals(new ProducersSettings("ops-producers", Duration.ofMinutes(1), Duration.ofMinutes(3)), p);
  }

  @Test
  void aBadValueIsAConfigErrorNamingTheKey() {
    Map<String, Map<String, String>> bad = Map.of(
        "sluice.producers.table", Map.of("sluice.producers.table", "no"),
        "sluice.producers.report.interval", Map.of("sluice.producers.report.interval", "500ms"),
        // A report is current for three intervals: a shorter retention would expire a current one.
        "sluice.producers.retention", Map.of("sluice.producers.report.interval", "1m",
            "sluice.producers.retention", "2m"));
    bad.forEach((key, settings) -> {
      ConfigException e = assertThrows(ConfigException.class, () -> SluiceConfig.from(RawConfig.of(settings)));
      assertTrue(e.getMessage().contains(key), e.getMessage());
    });
  }
}
