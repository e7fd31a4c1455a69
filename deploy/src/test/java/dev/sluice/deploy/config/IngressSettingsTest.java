package dev.sluice.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.gateway.config.DeclaredReadsMode;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IngressSettingsTest {
  private static IngressSettings read(Map<String, String> raw) {
    return SluiceConfig.from(RawConfig.of(raw)).ingress();
  }

  @Test
  void defaultsAreTheDevDefaults() {
    IngressSettings s = read(Map.of());
    assertTrue(s.devKeysEnabled());
    assertTrue(s.keys().lookup("dev-producer").isPresent());
    assertTrue(s.keys().lookup("dev-admin").orElseThrow().admin());
    assertEquals(IngressSettings.DedupStore.MEMORY, s.dedup().store());
    assertEquals(Duration.ofMinutes(10), s.dedup().window());
    assertTrue(s.capture().appliesTo("retail"));
    assertEquals("_sluice_registry", s.registry().topic());
    assertEquals(DeclaredReadsMode.INFORM, s.registry().declaredReads());
  }

  @Test
  void declaredReadsAreProtectedWhenConfigured() {
    assertEquals(DeclaredReadsMode.PROTECT,
        read(Map.of("sluice.registry.declared.reads", "protect")).registry().declaredReads());
    ConfigException e = assertThrows(ConfigException.class,
        () -> read(Map.of("sluice.registry.declared.reads", "refuse")));
    assertTrue(e.getMessage().contains("sluice.registry.declared.reads"), e.getMessage());
  }

  @Test
  void productionTurnsTheDevKeysOffAndAddsItsOwn() {
    IngressSettings s = read(Map.of(
        "sluice.gateway.dev.keys", "false",
        "sluice.gateway.keys.orders.sha256", "50ec235c3a38f0df347765a9e9104ed1c3d181b8307fab4f3341447877c4e3cb",
        "sluice.gateway.keys.orders.streams", "orders",
        "sluice.gateway.rejects.capture.streams", "none",
        "sluice.gateway.dedup.store", "dynamodb"));
    assertFalse(s.keys().lookup("dev-producer").isPresent());
    assertEquals(Set.of("orders"), s.keys().lookup("it-orders-only-key-0001").orElseThrow().streams());
    assertFalse(s.capture().appliesTo("retail"));
    assertEquals(IngressSettings.DedupStore.DYNAMODB, s.dedup().store());
  }

  @Test
  void aBadKeyIsReportedWithoutItsValue() {
    ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(
        "sluice.gateway.keys.orders.sha256", "my-plain-secret-token")));
    assertTrue(e.getMessage().contains("sluice.gateway.keys.orders.sha256"), e.getMessage());
    assertFalse(e.getMessage().contains("my-plain-secret-token"), e.getMessage());
  }
}
