package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.schemas.event.CloudEvent;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class EventTimeTest {
  private static final long RECORD_MILLIS = Instant.parse("2024-05-01T12:00:00Z").toEpochMilli();

  private static CloudEvent event(String time) {
    return new CloudEvent("1.0", "e-1", "/shop", "retail.product.created", "application/json", null, null, time,
        Map.of(), "{}");
  }

  private static ConsumerRecord<byte[], byte[]> record() {
    return new ConsumerRecord<>("retail", 0, 7, RECORD_MILLIS, TimestampType.CREATE_TIME,
        0, 0, null, new byte[0], new RecordHeaders(), Optional.empty());
  }

  @Test
  void theCloudEventTimeWinsOverTheRecordTimestamp() {
    assertEquals(Instant.parse("2024-05-01T11:58:30Z").toEpochMilli(),
        EventTime.millis(event("2024-05-01T11:58:30Z"), record()));
  }

  @Test
  void anOffsetInTheTimeIsHonoured() {
    assertEquals(Instant.parse("2024-05-01T09:58:30.250Z").toEpochMilli(),
        EventTime.millis(event("2024-05-01T11:58:30.25+02:00"), record()));
  }

  @Test
  void withoutATimeTheRecordTimestampIsUsed() {
    assertEquals(RECORD_MILLIS, EventTime.millis(event(null), record()));
    assertEquals(RECORD_MILLIS, EventTime.millis(event("  "), record()));
  }

  @Test
  void anInvalidTimeFallsBackToTheRecordTimestamp() {
    assertEquals(RECORD_MILLIS, EventTime.millis(event("yesterday"), record()));
    assertEquals(RECORD_MILLIS, EventTime.millis(event("2024-05-01 11:58:30"), record()));
  }
}
