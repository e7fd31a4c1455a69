package dev.sluice.schemas.event;

import java.nio.charset.StandardCharsets;

/** A Kafka record header, kept free of kafka-clients so that the contract module depends on nothing heavy. */
public record KafkaHeader(String key, byte[] value) {
  public static KafkaHeader of(String key, String value) {
    return new KafkaHeader(key, value.getBytes(StandardCharsets.UTF_8));
  }

  public String valueAsString() {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }
}
