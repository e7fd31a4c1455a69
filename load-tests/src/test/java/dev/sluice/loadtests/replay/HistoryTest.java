package dev.sluice.loadtests.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.consumer.Triage;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.registry.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class HistoryTest {
  private static final Instant END = Instant.parse("2026-12-05T00:00:00Z");
  private final History history = History.threeYearsUntil(END, 1_000_001);
  private final Triage triage = new Triage(SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()));

  private Triage.Verdict judge(ProducerRecord<byte[], byte[]> record) {
    List<KafkaHeader> headers = StreamSupport.stream(record.headers().spliterator(), false)
        .map(h -> new KafkaHeader(h.key(), h.value())).toList();
    return triage.triage(record.topic(), headers, record.value());
  }

  @Test
  void bothProductTypesAreSeededValidWithOneKilobyteOfData() {
    Map<String, Long> types = new TreeMap<>();
    for (long i = 0; i < 40; i++) {
      ProducerRecord<byte[], byte[]> record = history.record("retail", i);
      Triage.Ready ready = assertInstanceOf(Triage.Ready.class, judge(record), "event " + i);
      assertEquals("retail", ready.stream());
      assertEquals(History.DATA_BYTES, record.value().length, "event " + i + " of " + ready.event().type());
      types.merge(ready.event().type(), 1L, Long::sum);
    }
    assertEquals(Map.of(History.PHOTOGRAPHED, 12L, History.CREATED, 28L), types,
        "no photographer: its marked values would be in the clear, seeded past the gateway");
  }

  @Test
  void theKeyIsTheValueAtTheTypesPartitionKeySoEachProductStaysOnOnePartition() {
    ProducerRecord<byte[], byte[]> photo = history.record("retail", 1);
    assertEquals(History.PHOTOGRAPHED, history.type(1));
    assertEquals("p-1", new String(photo.key(), StandardCharsets.UTF_8));
    assertTrue(new String(photo.value(), StandardCharsets.UTF_8).contains("\"productId\":\"p-1\""));
    assertEquals(History.PRODUCTS, LongStream.range(0, 100_000).mapToObj(history::key)
        .collect(Collectors.toSet()).size(), "few keys: the view stays small");
  }

  @Test
  void timesSpanThreeYearsEvenlyAndTheRecordCarriesTheEventsTime() {
    assertEquals(END.minus(History.THREE_YEARS), history.time(0));
    assertEquals(END, history.time(history.count() - 1));
    assertEquals(history.start().plus(History.THREE_YEARS.dividedBy(2)), history.time(500_000));
    assertTrue(LongStream.range(1, 1_000).allMatch(i -> history.time(i).isAfter(history.time(i - 1))));
    ProducerRecord<byte[], byte[]> record = history.record("retail", 7);
    assertEquals(history.time(7).toEpochMilli(), record.timestamp());
    Triage.Ready ready = assertInstanceOf(Triage.Ready.class, judge(record));
    assertEquals(history.time(7).toString(), ready.event().time());
  }

  @Test
  void aHistoryHasAFirstAndALastEvent() {
    assertThrows(IllegalArgumentException.class, () -> History.threeYearsUntil(END, 1));
  }
}
