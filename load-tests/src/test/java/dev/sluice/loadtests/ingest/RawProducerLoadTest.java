package dev.sluice.loadtests.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RawProducerLoadTest {
  @Test
  void takesTheGatewaysClientPropertiesWithItsDurableDefaults() {
    Map<String, Object> c = RawProducerLoad.producerConfig(
        Map.of("bootstrap.servers", "127.0.0.1:9", "linger.ms", "20", "client.id", "theirs"), "ceiling-0");
    assertEquals("127.0.0.1:9", c.get("bootstrap.servers"));
    assertEquals("all", c.get("acks"));
    assertEquals("true", c.get("enable.idempotence"));
    assertEquals("20", c.get("linger.ms"), "what the gateway is given, the ceiling is given too");
    assertEquals("ceiling-0", c.get("client.id"), "its own id, so its threads are told from the gateway's");
  }

  @Test
  void leavesExplicitDurabilitySettingsAsGiven() {
    // The gateway refuses unsafe settings unless allowed, and then honours them: so does the ceiling.
    Map<String, Object> c = RawProducerLoad.producerConfig(
        Map.of("bootstrap.servers", "127.0.0.1:9", "acks", "1", "enable.idempotence", "false"), "ceiling-0");
    assertEquals("1", c.get("acks"));
    assertEquals("false", c.get("enable.idempotence"));
    // Idempotence cannot be combined with acks=1: the gateway then leaves it to Kafka, which turns it off.
    Map<String, Object> acks1 = RawProducerLoad.producerConfig(Map.of("bootstrap.servers", "127.0.0.1:9", "acks",
        "1"), "ceiling-0");
    assertFalse(acks1.containsKey("enable.idempotence"));
  }
}
