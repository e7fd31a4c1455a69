package dev.sluice.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.quarantine.log.LogSettings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QuarantineLogSettingsTest {
  private static QuarantineLogSettings read(Map<String, String> keys) {
    return SluiceConfig.from(RawConfig.of(keys)).quarantineLog();
  }

  @Test
  void onByDefaultWithATopicOfItsTableAndAnIndexer() {
    assertEquals(Optional.of(LogSettings.of("sluice.quarantine-log.sluice-quarantine")), read(Map.of()).log());
    assertEquals("sluice.quarantine-log.q-1",
        read(Map.of("sluice.dynamodb.table", "q-1")).log().orElseThrow().topic());
  }

  @Test
  void everySettingIsReadAndOffMeansNoLog() {
    assertEquals(Optional.of(new LogSettings("q", 3, 10, false)), read(Map.of("sluice.quarantine.log.topic", "q",
        "sluice.quarantine.log.partitions", "3", "sluice.quarantine.log.max.unindexed", "10",
        "sluice.quarantine.log.indexer", "false")).log());
    assertEquals(Optional.empty(), read(Map.of("sluice.quarantine.log.enabled", "false")).log());
  }

  @Test
  void aTopicNameKafkaWouldRefuseIsRefusedAtStartUp() {
    assertThrows(ConfigException.class, () -> read(Map.of("sluice.quarantine.log.topic", "no spaces")));
  }
}
