package dev.sluice.gateway.dedup;

import dev.sluice.gateway.kafka.Appended;
import dev.sluice.storekit.marks.MarkCodec;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where an event was appended, as the idempotency table stores it: {@code topic}, {@code kafkaPartition} and
 * {@code kafkaOffset}. Stored: the names must not change, or earlier records would no longer be read.
 */
enum AppendedCodec implements MarkCodec<Appended> {
  INSTANCE;

  static final String TOPIC = "topic";
  static final String PARTITION = "kafkaPartition";
  static final String OFFSET = "kafkaOffset";

  @Override
  public Map<String, AttributeValue> toItem(Appended appended) {
    return Map.of(
        TOPIC, AttributeValue.fromS(appended.topic()),
        PARTITION, AttributeValue.fromN(Integer.toString(appended.partition())),
        OFFSET, AttributeValue.fromN(Long.toString(appended.offset())));
  }

  @Override
  public Appended fromItem(Map<String, AttributeValue> item) {
    return new Appended(item.get(TOPIC).s(), Integer.parseInt(item.get(PARTITION).n()),
        Long.parseLong(item.get(OFFSET).n()));
  }
}
