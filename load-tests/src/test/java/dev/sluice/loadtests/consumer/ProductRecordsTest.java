package dev.sluice.loadtests.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sluice.quarantine.consumer.Triage;
import dev.sluice.schemas.event.KafkaHeader;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ProductRecordsTest {
  private final Triage triage = new Triage(ProductRecords.registryFor(Set.of("t")));

  private Triage.Verdict judge(ProducerRecord<byte[], byte[]> record) {
    List<KafkaHeader> headers = java.util.stream.StreamSupport.stream(record.headers().spliterator(), false)
        .map(h -> new KafkaHeader(h.key(), h.value())).toList();
    return triage.triage(record.topic(), headers, record.value());
  }

  @Test
  void aValidRecordIsReadyForTheHandler() {
    assertInstanceOf(Triage.Ready.class, judge(ProductRecords.record("t", "p-1", false)));
  }

  @Test
  void aPoisonRecordIsJudgedPoison() {
    assertInstanceOf(Triage.Poison.class, judge(ProductRecords.record("t", "p-1", true)));
  }

  @Test
  void tenPercentPoisonIsEveryTenthRecord() {
    assertEquals(1_000, LongStream.range(0, 10_000).filter(i -> ProductRecords.isPoison(i, 10)).count());
    assertEquals(0, LongStream.range(0, 10_000).filter(i -> ProductRecords.isPoison(i, 0)).count());
  }

  @Test
  void theBenchmarkPolicyIsAValidWrapperConfig() {
    assertEquals(500, ConsumerBenchmark.config("g", "t").maxPollRecords());
  }
}
