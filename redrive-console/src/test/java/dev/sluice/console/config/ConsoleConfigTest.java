package dev.sluice.console.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConsoleConfigTest {

  @Test
  void defaultsAreLoopback8081() {
    assertEquals(new ConsoleConfig("127.0.0.1", 8081), ConsoleConfig.defaults());
  }

  @Test
  void portZeroIsAllowedForAnyFreePort() {
    assertEquals(0, new ConsoleConfig("127.0.0.1", 0).port());
  }

  @Test
  void badValuesAreRefusedWithTheSettingNamed() {
    IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
        () -> new ConsoleConfig("127.0.0.1", 70000));
    assertTrue(port.getMessage().contains("sluice.console.port"), port.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ConsoleConfig("127.0.0.1", -1));
    IllegalArgumentException host = assertThrows(IllegalArgumentException.class, () -> new ConsoleConfig(" ", 8081));
    assertTrue(host.getMessage().contains("sluice.console.host"), host.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ConsoleConfig(null, 8081));
  }
}
