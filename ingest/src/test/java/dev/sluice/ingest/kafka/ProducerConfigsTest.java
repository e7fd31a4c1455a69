package dev.sluice.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class ProducerConfigsTest {
  @Test
  void durabilityDefaultsWhenTheClientPropertiesAreSilent() {
    Map<String, Object> c = ProducerConfigs.checked(Map.of(
        "bootstrap.servers", "127.0.0.1:9092", "key.serializer", "x", "max.block.ms", "60000",
        "delivery.timeout.ms", "120000"), Duration.ofSeconds(10), false, "id");
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
    Map<String, Object> c = ProducerConfigs.checked(Map.of(
        "acks", "-1", "enable.idempotence", "TRUE", "max.in.flight.requests.per.connection", "5"),
        Duration.ofSeconds(10), false, "id");
    assertEquals("-1", c.get("acks"));
    assertEquals("TRUE", c.get("enable.idempotence"));
    assertEquals("5", c.get("max.in.flight.requests.per.connection"));
  }

  @Test
  void unsafeSettingsAreRefusedNamingEachSettingAndWhy() {
    UnsafeProducerSettingsException e = assertThrows(UnsafeProducerSettingsException.class,
        () -> ProducerConfigs.checked(Map.of("acks", "1", "enable.idempotence", "false"),
            Duration.ofSeconds(10), false, "id"));
    assertEquals(2, e.settings().size());
    assertTrue(e.getMessage().contains("acks=1: a 2xx must mean every in-sync replica has the event"),
        e.getMessage());
    assertTrue(e.getMessage().contains("enable.idempotence=false: without idempotence"), e.getMessage());
    assertThrows(UnsafeProducerSettingsException.class, () -> ProducerConfigs.checked(
        Map.of("max.in.flight.requests.per.connection", "6"), Duration.ofSeconds(10), false, "id"));
  }

  @Test
  void unsafeSettingsAllowedExplicitlyAreHonouredNotOverridden() {
    Map<String, Object> c = ProducerConfigs.checked(Map.of("acks", "1"), Duration.ofSeconds(10), true, "id");
    assertEquals("1", c.get("acks"));
    // Idempotence cannot be combined with acks=1; left unset, Kafka turns it off by itself instead of failing.
    assertNull(c.get("enable.idempotence"));
    Map<String, Object> off = ProducerConfigs.checked(
        Map.of("enable.idempotence", "false"), Duration.ofSeconds(10), true, "id");
    assertEquals("false", off.get("enable.idempotence"));
    assertEquals("all", off.get("acks"));
    assertFalse(off.containsKey("max.in.flight.requests.per.connection"));
  }

  @Test
  void aShortRequestTimeoutIsKept() {
    Map<String, Object> c = ProducerConfigs.checked(
        Map.of("request.timeout.ms", "1000", "linger.ms", "0"), Duration.ofSeconds(10), false, "id");
    assertEquals("1000", c.get("request.timeout.ms"));
  }

  @Test
  void lingerThatLeavesNoRoomIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> ProducerConfigs.checked(Map.of("linger.ms", "5000"), Duration.ofSeconds(2), false, "id"));
    assertThrows(IllegalArgumentException.class,
        () -> ProducerConfigs.checked(Map.of("linger.ms", "soon"), Duration.ofSeconds(2), false, "id"));
  }

  // ------------------------------------------------------------------------ durable: shared client properties

  @Test
  void durabilityIsForcedWhateverTheSharedClientPropertiesSay() {
    Map<String, Object> config = ProducerConfigs.durable(Map.of(
        "bootstrap.servers", "k:9092", "acks", "1", "enable.idempotence", "false",
        "max.in.flight.requests.per.connection", "20", "transactional.id", "tx", "linger.ms", "50",
        "security.protocol", "SSL"), Duration.ofSeconds(10), "sluice-console");
    assertEquals("all", config.get(ProducerConfig.ACKS_CONFIG));
    assertEquals("true", config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
    assertEquals("5", config.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION));
    assertFalse(config.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
    assertEquals("0", config.get(ProducerConfig.LINGER_MS_CONFIG));
    assertEquals("SSL", config.get("security.protocol"), "connection settings pass through");
    assertEquals("k:9092", config.get("bootstrap.servers"));
    assertEquals("sluice-console", config.get(ProducerConfig.CLIENT_ID_CONFIG));
  }

  @Test
  void everyDurableWaitFitsTheAppendTimeout() {
    Map<String, Object> config = ProducerConfigs.durable(Map.of(), Duration.ofSeconds(10), "c");
    long maxBlock = Long.parseLong((String) config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG));
    long delivery = Long.parseLong((String) config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
    long request = Long.parseLong((String) config.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG));
    assertEquals(10_000, maxBlock + delivery);
    assertEquals(delivery, request, "the 30 s default request timeout is lowered to fit the delivery timeout");
    assertThrows(IllegalArgumentException.class,
        () -> ProducerConfigs.durable(Map.of("request.timeout.ms", "soon"), Duration.ofSeconds(10), "c"));
  }
}
