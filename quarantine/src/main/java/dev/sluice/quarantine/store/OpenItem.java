package dev.sluice.quarantine.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a consumer needs to know of an open item of one of its partitions to guard key order and count open items: no
 * payload. Read from the sparse open-lane index, or by id.
 *
 * @param key the Kafka record key as UTF-8 text, if the record had one
 * @param offset the record's Kafka offset: the order of the items of one key
 */
public record OpenItem(
    String id, QuarantineStatus status, Optional<String> key, long offset, Instant quarantinedAt, int attempts) {
  public OpenItem {
    // Every component is required (key is Optional): List.of refuses a null one, at once.
    List.of(id, status, key, quarantinedAt);
  }

  public static OpenItem of(QuarantineItem item) {
    return new OpenItem(item.id(), item.status(), item.key(), item.offset(), item.quarantinedAt(), item.attempts());
  }
}
