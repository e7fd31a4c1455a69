package dev.sluice.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnsafeProducerSettingTest {
  private static List<String> keys(Map<String, String> props) {
    return UnsafeProducerSetting.find(props).stream().map(UnsafeProducerSetting::key).toList();
  }

  @Test
  void silenceAndDurableValuesAreSafe() {
    assertEquals(List.of(), keys(Map.of()));
    assertEquals(List.of(), keys(Map.of("acks", "all", "enable.idempotence", "true",
        "max.in.flight.requests.per.connection", "5")));
    assertEquals(List.of(), keys(Map.of("acks", " ALL ")));
    assertEquals(List.of(), keys(Map.of("acks", "-1", "max.in.flight.requests.per.connection", "1")));
  }

  @Test
  void eachWeakeningIsNamed() {
    assertEquals(List.of("acks"), keys(Map.of("acks", "1")));
    assertEquals(List.of("acks"), keys(Map.of("acks", "0")));
    assertEquals(List.of("enable.idempotence"), keys(Map.of("enable.idempotence", "false")));
    assertEquals(List.of("max.in.flight.requests.per.connection"),
        keys(Map.of("max.in.flight.requests.per.connection", "6")));
    assertEquals(List.of("acks", "enable.idempotence", "max.in.flight.requests.per.connection"),
        keys(Map.of("acks", "1", "enable.idempotence", "false", "max.in.flight.requests.per.connection", "10")));
  }

  @Test
  void aNonNumberIsLeftToKafkasOwnValidation() {
    assertEquals(List.of(), keys(Map.of("max.in.flight.requests.per.connection", "many")));
  }

  @Test
  void theDescriptionSaysWhich() {
    UnsafeProducerSetting s = UnsafeProducerSetting.find(Map.of("enable.idempotence", "false")).get(0);
    assertEquals("enable.idempotence=false: " + s.why(), s.describe());
  }
}
