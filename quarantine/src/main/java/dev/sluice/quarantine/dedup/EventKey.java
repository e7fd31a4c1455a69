package dev.sluice.quarantine.dedup;

import dev.sluice.storekit.marks.StoreKey;
import java.util.Objects;

/**
 * What identifies "the same event" for a consumer: its CloudEvent {@code id} within a scope. The scope is normally the
 * consumer group (two groups each apply an event once), optionally narrowed by the event's {@code source}, since the
 * CloudEvents spec makes only (source, id) unique.
 *
 * <p>Redriven and retried events keep their original CloudEvent id, so they map to the same key as the first
 * delivery.
 */
public record EventKey(String scope, String eventId) {
  public EventKey {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(eventId, "eventId");
    if (scope.isEmpty()) {
      throw new IllegalArgumentException("the dedup scope must not be empty");
    }
    if (eventId.isEmpty()) {
      throw new IllegalArgumentException("the event id must not be empty");
    }
  }

  /** Scoped by consumer group only: the event id alone is unique among what the group reads. */
  public static EventKey of(String group, String eventId) {
    return new EventKey(group, eventId);
  }

  /**
   * Scoped by consumer group and the event's source. The group is length-prefixed so that ("a", "b/c") and
   * ("a/b", "c") are different scopes.
   */
  public static EventKey of(String group, String source, String eventId) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(source, "source");
    return new EventKey(group.length() + ":" + group + "/" + source, eventId);
  }

  /**
   * The store key: SHA-256 of the length-prefixed scope and the id, 64 hex digits ({@link StoreKey#of}). Hashing bounds
   * every entry's key whatever the producer sent as id (so the in-process map's memory per entry is fixed), and stays
   * far below DynamoDB's 2 KiB partition-key limit.
   */
  public String storeKey() {
    return StoreKey.of(scope, eventId).value();
  }

  /** The event id for logs and messages, cut to 128 characters: ids can be as long as the event allows. */
  String idForLog() {
    return eventId.length() <= 128 ? eventId : eventId.substring(0, 128) + "...";
  }
}
