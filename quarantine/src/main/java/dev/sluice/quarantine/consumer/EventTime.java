package dev.sluice.quarantine.consumer;

import dev.sluice.schemas.event.CloudEvent;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * When an event happened, for the staleness of a group's view: the CloudEvent {@code time} attribute if the event has
 * one and it is a valid RFC 3339 timestamp, else the Kafka record's timestamp.
 *
 * <p>Why the CloudEvent time first: staleness asks how far behind the world a consumer's view is, and {@code time} is
 * the producer's own statement of when the occurrence happened. The Kafka timestamp is when the record was produced
 * or appended (the topic's {@code message.timestamp.type}); it is later than the occurrence by the producer's and the
 * gateway's delays, and on a topic copied or re-produced it is the copy's time, which would hide the staleness of
 * events that waited upstream. The record timestamp is the fallback because every record has one ({@code time} is
 * optional in CloudEvents 1.0, and the gateway validates it only when present). A producer clock ahead of ours gives
 * an event time in the future; the staleness clamps that at 0 rather than reporting negative seconds.
 */
final class EventTime {
  private EventTime() {}

  /** Epoch millis of the event: its valid {@code time} attribute, else its record's timestamp. */
  static long millis(CloudEvent event, ConsumerRecord<?, ?> record) {
    return millis(event.time(), record.timestamp());
  }

  /** Epoch millis of {@code time} (RFC 3339) if present and valid, else {@code recordTimestamp}. */
  static long millis(String time, long recordTimestamp) {
    if (time == null || time.isBlank()) {
      return recordTimestamp;
    }
    try {
      return OffsetDateTime.parse(time).toInstant().toEpochMilli();
    } catch (DateTimeException | ArithmeticException invalid) {
      // Validation rejects a malformed time at the gateway, but records written straight to Kafka skip it.
      return recordTimestamp;
    }
  }
}
