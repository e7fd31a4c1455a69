package dev.sluice.gateway.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventAppenderConfigTest {
  @Test
  void durabilityIsForcedWhateverTheClientPropertiesSay() {
    Map<String, Object> c = EventAppender.producerConfig(Map.of(
        "bootstrap.servers", "127.0.0.1:9092", "acks", "1", "enable.idempotence", "false",
        "key.serializer", "x", "max.block.ms", "60000", "delivery.timeout.ms", "120000"), Duration.ofSeconds(10));
    assertEquals("127.0.0.1:9092", c.get("bootstrap.servers"));
    assertEquals("all", c.get("acks"));
    assertEquals("true", c.get("enable.idempotence"));
    assertEquals("org.apache.kafka.common.serialization.StringSerializer", c.get("key.serializer"));
    assertEquals("org.apache.kafka.common.serialization.ByteArraySerializer", c.get("value.serializer"));
    // The append budget is split between waiting for metadata and waiting for the acknowledgement.
    assertEquals("5000", c.get("max.block.ms"));
    assertEquals("5000", c.get("delivery.timeout.ms"));
    // delivery.timeout.ms >= linger.ms + request.timeout.ms, or the producer refuses to start.
    assertEquals("4995", c.get("request.timeout.ms"));
  }

  @Test
  void aShortRequestTimeoutIsKept() {
    Map<String, Object> c = EventAppender.producerConfig(
        Map.of("request.timeout.ms", "1000", "linger.ms", "0"), Duration.ofSeconds(10));
    assertEquals("1000", c.get("request.timeout.ms"));
  }

  @Test
  void lingerThatLeavesNoRoomIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> EventAppender.producerConfig(Map.of("linger.ms", "5000"), Duration.ofSeconds(2)));
    assertThrows(IllegalArgumentException.class,
        () -> EventAppender.producerConfig(Map.of("linger.ms", "soon"), Duration.ofSeconds(2)));
  }

  @Test
  void adminConfigKeepsOnlyAdminSettings() {
    Map<String, Object> c = KafkaReadiness.adminConfig(Map.of("bootstrap.servers", "h:1", "acks", "all",
        "security.protocol", "SSL"));
    assertEquals("h:1", c.get("bootstrap.servers"));
    assertEquals("SSL", c.get("security.protocol"));
    assertEquals(null, c.get("acks"));
  }
}
