package dev.sluice.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sluice.replays.*}: the table replays are kept in, checked at start-up like every other key. */
class ReplaysSettingsTest {
  @Test
  void theReplaysTableHasADefaultAndIsConfigurable() {
    assertEquals("sluice-replays", SluiceConfig.from(RawConfig.empty()).replays().table());
    assertEquals("ops-replays", SluiceConfig.from(RawConfig.of(Map.of("sluice.replays.table", "ops-replays")))
        .replays().table());
  }

  @Test
  void aTableNameDynamoDbWouldRefuseIsAConfigErrorNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> SluiceConfig.from(RawConfig.of(Map.of("sluice.replays.table", "no"))));
    assertTrue(e.getMessage().contains("sluice.replays.table"), e.getMessage());
  }
}
