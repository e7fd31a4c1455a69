package dev.sluice.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code sluice.demo.*} of the consumer itself: its group, view, handler version and the active-view pointer. */
class DemoConfigTest {
  private static DemoConfig read(Map<String, String> keys) {
    return SluiceConfig.from(RawConfig.of(keys)).demo();
  }

  private static void refused(String key, String value) {
    ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(key, value)));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  @Test
  void theDefaultsRunVersionOneAsCatalogBuilder() {
    DemoConfig d = read(Map.of());
    assertEquals(DemoConfig.defaults(), d);
    assertEquals("catalog-builder", d.group());
    assertEquals("sluice-demo-catalog", d.catalogTable());
    assertEquals(1, d.blueGreen().version());
    assertEquals("sluice-demo-active-view", d.blueGreen().activeViewTable());
  }

  @Test
  void versionTwoUnderItsOwnGroupAndView() {
    DemoConfig d = read(Map.of("sluice.demo.version", "2", "sluice.demo.group", "catalog-builder-v2",
        "sluice.demo.table", "sluice-demo-catalog-v2", "sluice.demo.active.view.table", "ops-active-view"));
    assertEquals(new DemoConfig("127.0.0.1", 8082, "catalog-builder-v2", "sluice-demo-catalog-v2",
        new DemoConfig.BlueGreen(2, "ops-active-view")), d);
    assertEquals(Set.of(), SluiceConfig.unknownKeys(RawConfig.of(Map.of("sluice.demo.version", "2",
        "sluice.demo.active.view.table", "ops-active-view"))), "both are Sluice settings");
  }

  @Test
  void theEnvironmentWinsOverTheFile() throws Exception {
    Path file = Files.createTempFile("demo", ".properties");
    try {
      Files.writeString(file, "sluice.demo.version=1\n");
      RawConfig raw = ConfigLoader.load(file, Map.of("SLUICE_DEMO_VERSION", "2"));
      assertEquals(2, SluiceConfig.from(raw).demo().blueGreen().version());
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void aVersionThatDoesNotExistIsAConfigErrorNamingTheKey() {
    refused("sluice.demo.version", "3");
    refused("sluice.demo.version", "0");
    refused("sluice.demo.version", "two");
  }

  @Test
  void aPointerTableDynamoDbWouldRefuseIsAConfigErrorNamingTheKey() {
    refused("sluice.demo.active.view.table", "av");
  }
}
