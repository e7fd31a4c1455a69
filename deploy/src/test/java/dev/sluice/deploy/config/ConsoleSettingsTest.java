package dev.sluice.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.config.ConsoleConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sluice.console.*}: where the console listens and which table keeps its audit trail. */
class ConsoleSettingsTest {
  private static ConsoleConfig read(Map<String, String> keys) {
    return SluiceConfig.from(RawConfig.of(keys)).console();
  }

  @Test
  void theAuditTableHasADefaultAndIsConfigurable() {
    assertEquals(ConsoleConfig.DEFAULT_AUDIT_TABLE, read(Map.of()).auditTable());
    assertEquals("ops-console-audit", read(Map.of("sluice.console.audit.table", "ops-console-audit")).auditTable());
  }

  @Test
  void aTableNameDynamoDbWouldRefuseIsAConfigError() {
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> read(Map.of("sluice.console.audit.table", "no spaces allowed")));
    assertTrue(String.valueOf(e.getMessage()).contains("sluice.console.audit.table"), e.getMessage());
  }
}
