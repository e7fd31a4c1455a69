package dev.sluice.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.config.ConsoleConfig;
import dev.sluice.console.jobs.JobSettings;
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

  @Test
  void jobsHaveATableAndAHaltRuleWithDefaults() {
    ConsoleConfig d = read(Map.of());
    assertEquals(JobSettings.DEFAULT_TABLE, d.jobs().table());
    assertEquals(0.2, d.jobs().halt().ratio(), 1e-9);
    assertEquals(50, d.jobs().halt().minOutcomes());
    ConsoleConfig c = read(Map.of("sluice.console.jobs.table", "ops-jobs", "sluice.console.jobs.halt.ratio", "0.05",
        "sluice.console.jobs.halt.min", "200"));
    assertEquals("ops-jobs", c.jobs().table());
    assertEquals(0.05, c.jobs().halt().ratio(), 1e-9);
    assertEquals(200, c.jobs().halt().minOutcomes());
  }

  @Test
  void aHaltRatioOutsideZeroToOneIsAConfigError() {
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> read(Map.of("sluice.console.jobs.halt.ratio", "1.5")));
    assertTrue(String.valueOf(e.getMessage()).contains("sluice.console.jobs.halt.ratio"), e.getMessage());
  }

  @Test
  void aJobLeaseDefaultsToThirtySecondsAndBelowThreeIsAConfigError() {
    assertEquals(java.time.Duration.ofSeconds(30), read(Map.of()).jobs().lease());
    assertEquals(java.time.Duration.ofSeconds(10), read(Map.of()).jobs().leaseRenewEvery());
    assertEquals(java.time.Duration.ofSeconds(9), read(Map.of("sluice.console.jobs.lease", "9s")).jobs().lease());
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> read(Map.of("sluice.console.jobs.lease", "1s")));
    assertTrue(String.valueOf(e.getMessage()).contains("sluice.console.jobs.lease"), e.getMessage());
  }
}
