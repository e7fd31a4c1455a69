package dev.sluice.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.provision.Provisioner;
import java.time.Duration;
import java.util.EnumSet;
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
  void noneTurnsTheReportsOffSoTheGatewayNeedsNoProducersTable() {
    // A gateway that keeps no rejects and no dedup items needs no DynamoDB at all, as before the reports existed.
    Map<String, String> kafkaOnly = Map.of("sluice.gateway.rejects.capture.streams", "none", "sluice.crypto.kek",
        "none");
    SluiceConfig on = SluiceConfig.from(RawConfig.of(kafkaOnly));
    SluiceConfig off = SluiceConfig.from(RawConfig.of(plus(kafkaOnly, "sluice.producers.table", "none")));

    assertTrue(on.producers().reporting());
    assertTrue(Provisioner.neededBy(on, EnumSet.of(Part.GATEWAY)).contains(Provisioner.Resource.PRODUCERS_TABLE));
    assertFalse(off.producers().reporting());
    assertEquals(EnumSet.of(Provisioner.Resource.STREAM_TOPICS), Provisioner.neededBy(off, EnumSet.of(Part.GATEWAY)));
    assertFalse(Provisioner.neededBy(off, EnumSet.of(Part.CONSOLE)).contains(Provisioner.Resource.PRODUCERS_TABLE));
  }

  private static Map<String, String> plus(Map<String, String> settings, String key, String value) {
    Map<String, String> more = new java.util.HashMap<>(settings);
    more.put(key, value);
    return more;
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
