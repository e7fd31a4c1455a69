package dev.sluice.gateway.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaReadinessTest {
  @Test
  void adminConfigKeepsOnlyAdminSettings() {
    Map<String, Object> c = KafkaReadiness.adminConfig(Map.of("bootstrap.servers", "h:1", "acks", "all",
        "security.protocol", "SSL"));
    assertEquals("h:1", c.get("bootstrap.servers"));
    assertEquals("SSL", c.get("security.protocol"));
    assertEquals(null, c.get("acks"));
  }
}
