package dev.sluice.quarantine.store;

import java.time.Instant;
import java.util.Objects;
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
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(quarantinedAt, "quarantinedAt");
  }

  public static OpenItem of(QuarantineItem item) {
    return new OpenItem(item.id(), item.status(), item.key(), item.offset(), item.quarantinedAt(), item.attempts());
  }
}
