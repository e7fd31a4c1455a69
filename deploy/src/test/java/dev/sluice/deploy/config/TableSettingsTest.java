package dev.sluice.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice.replays.*} and {@code sluice.storms.*}: the tables replays and storms are kept in, checked at start-up
 * like every other key.
 */
class TableSettingsTest {
  @Test
  void theReplaysAndStormsTablesHaveDefaultsAndAreConfigurable() {
    SluiceConfig defaults = SluiceConfig.from(RawConfig.empty());
    assertEquals("sluice-replays", defaults.replays().table());
    assertEquals("sluice-storms", defaults.storms().table());
    SluiceConfig set = SluiceConfig.from(RawConfig.of(Map.of("sluice.replays.table", "ops-replays",
        "sluice.storms.table", "ops-storms")));
    assertEquals("ops-replays", set.replays().table());
    assertEquals("ops-storms", set.storms().table());
  }

  @Test
  void aTableNameDynamoDbWouldRefuseIsAConfigErrorNamingTheKey() {
    for (String key : new String[] {"sluice.replays.table", "sluice.storms.table"}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> SluiceConfig.from(RawConfig.of(Map.of(key, "no"))));
      assertTrue(e.getMessage().contains(key), e.getMessage());
    }
  }
}
