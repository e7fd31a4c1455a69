package dev.sluice.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventAppenderConfigTest {
  @Test
  void durabilityDefaultsWhenTheClientPropertiesAreSilent() {
    Map<String, Object> c = EventAppender.producerConfig(Map.of(
        "bootstrap.servers", "127.0.0.1:9092", "key.serializer", "x", "max.block.ms", "60000",
        "delivery.timeout.ms", "120000"), Duration.ofSeconds(10), false);
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
  void safeExplicitSettingsAreKeptAsGiven() {
    Map<String, Object> c = EventAppender.producerConfig(Map.of(
        "acks", "-1", "enable.idempotence", "TRUE", "max.in.flight.requests.per.connection", "5"),
        Duration.ofSeconds(10), false);
    assertEquals("-1", c.get("acks"));
    assertEquals("TRUE", c.get("enable.idempotence"));
    assertEquals("5", c.get("max.in.flight.requests.per.connection"));
  }

  @Test
  void unsafeSettingsAreRefusedNamingEachSettingAndWhy() {
    UnsafeProducerSettingsException e = assertThrows(UnsafeProducerSettingsException.class,
        () -> EventAppender.producerConfig(Map.of("acks", "1", "enable.idempotence", "false"),
            Duration.ofSeconds(10), false));
    assertEquals(2, e.settings().size());
    assertTrue(e.getMessage().contains("acks=1: a 2xx must mean every in-sync replica has the event"),
        e.getMessage());
    assertTrue(e.getMessage().contains("enable.idempotence=false: without idempotence"), e.getMessage());
    assertThrows(UnsafeProducerSettingsException.class, () -> EventAppender.producerConfig(
        Map.of("max.in.flight.requests.per.connection", "6"), Duration.ofSeconds(10), false));
  }

  @Test
  void unsafeSettingsAllowedExplicitlyAreHonouredNotOverridden() {
    Map<String, Object> c = EventAppender.producerConfig(Map.of("acks", "1"), Duration.ofSeconds(10), true);
    assertEquals("1", c.get("acks"));
    // Idempotence cannot be combined with acks=1; left unset, Kafka turns it off by itself instead of failing.
    assertNull(c.get("enable.idempotence"));
    Map<String, Object> off = EventAppender.producerConfig(
        Map.of("enable.idempotence", "false"), Duration.ofSeconds(10), true);
    assertEquals("false", off.get("enable.idempotence"));
    assertEquals("all", off.get("acks"));
    assertFalse(off.containsKey("max.in.flight.requests.per.connection"));
  }

  @Test
  void aShortRequestTimeoutIsKept() {
    Map<String, Object> c = EventAppender.producerConfig(
        Map.of("request.timeout.ms", "1000", "linger.ms", "0"), Duration.ofSeconds(10), false);
    assertEquals("1000", c.get("request.timeout.ms"));
  }

  @Test
  void lingerThatLeavesNoRoomIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> EventAppender.producerConfig(Map.of("linger.ms", "5000"), Duration.ofSeconds(2), false));
    assertThrows(IllegalArgumentException.class,
        () -> EventAppender.producerConfig(Map.of("linger.ms", "soon"), Duration.ofSeconds(2), false));
  }
}
