package dev.sluice.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ingest.ReadLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {
  @Test
  void defaults() {
    GatewayConfig c = GatewayConfig.defaults();
    assertEquals("127.0.0.1", c.host());
    assertEquals(8080, c.port());
    assertEquals(1024 * 1024, c.maxBodyBytes());
    assertEquals(Duration.ofSeconds(5), c.appendTimeout());
    assertEquals(new ReadLimits(64, 100, 256 * 1024, 500), c.limits());
  }

  @Test
  void theShortConstructorTakesTheDefaultLimits() {
    assertEquals(ReadLimits.defaults(), new GatewayConfig("h", 1, 10, Duration.ofSeconds(1)).limits());
  }

  @Test
  void limitsOutOfRangeAreRefusedNamingTheLimit() {
    assertMessage("maxDepth", () -> new ReadLimits(1, 100, 1024, 10));
    assertMessage("maxDepth", () -> new ReadLimits(1001, 100, 1024, 10));
    assertMessage("maxNumberLength", () -> new ReadLimits(64, 0, 1024, 10));
    assertMessage("maxStringLength", () -> new ReadLimits(64, 100, 255, 10));
    assertMessage("maxBatchEvents", () -> new ReadLimits(64, 100, 1024, 0));
    assertMessage("maxBatchEvents", () -> new ReadLimits(64, 100, 1024, 10_001));
    assertMessage("limits", () -> new GatewayConfig("h", 1, 10, Duration.ofSeconds(1), null));
  }

  @Test
  void portZeroIsAllowed() {
    assertEquals(0, new GatewayConfig("127.0.0.1", 0, 10, Duration.ofSeconds(1)).port());
  }

  @Test
  void invalidValuesAreRefusedWithAClearMessage() {
    assertMessage("host", () -> new GatewayConfig(" ", 8080, 10, Duration.ofSeconds(5)));
    assertMessage("port", () -> new GatewayConfig("h", 65536, 10, Duration.ofSeconds(5)));
    assertMessage("port", () -> new GatewayConfig("h", -1, 10, Duration.ofSeconds(5)));
    assertMessage("maxBodyBytes", () -> new GatewayConfig("h", 1, 0, Duration.ofSeconds(5)));
    assertMessage("appendTimeout", () -> new GatewayConfig("h", 1, 10, Duration.ofMillis(999)));
    assertMessage("appendTimeout", () -> new GatewayConfig("h", 1, 10, null));
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(ex.getMessage().contains(expected), ex.getMessage());
  }
}
