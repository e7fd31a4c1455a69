package dev.sluice.loadtests.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.consumer.ConsumedEvent;
import dev.sluice.quarantine.consumer.Triage;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class BareConsumerTest {
  private final Triage triage = new Triage(ProductRecords.registryFor(Set.of("t")));

  private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> p, int partition, long offset) {
    return new ConsumerRecord<>(p.topic(), partition, offset, 0L, TimestampType.CREATE_TIME, p.key().length,
        p.value().length, p.key(), p.value(), p.headers(), Optional.empty());
  }

  @Test
  void aPlainConsumerRecordDecodesToTheEventTheWrappersHandlerWouldGet() {
    ConsumedEvent e = BareConsumer.decoded(triage, "g", consumed(ProductRecords.record("t", "p-7", false), 2, 41))
        .orElseThrow();
    assertEquals("t", e.topic());
    assertEquals(2, e.partition());
    assertEquals(41, e.offset());
    assertEquals(Optional.of("p-7"), e.key());
    assertEquals("g", e.group());
    assertEquals("p-7", e.data().getString("id"));
  }

  @Test
  void poisonDecodesToNothing() {
    assertTrue(BareConsumer.decoded(triage, "g", consumed(ProductRecords.record("t", "p-7", true), 0, 0)).isEmpty());
  }
}
