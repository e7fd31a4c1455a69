package dev.sluice.quarantine.storm;

import dev.sluice.quarantine.find.Fingerprint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One fingerprint flooding one partition of a group: where, how it failed (the fingerprint's parts only, never a
 * payload or any of the events' data), when and how it tripped the breaker, and where it stands now. One per
 * (group, topic, partition, fingerprint): a storm that trips again after a resume is the same storm, tripped once more.
 *
 * @param where the partition
 * @param fingerprint how its records failed, as the console groups items
 * @param trip the latest trip
 * @param status its state, and who changed it last
 */
public record Storm(Where where, Fingerprint fingerprint, Trip trip, Status status) {
  public Storm {
    List.of(where, fingerprint, trip, status);
  }

  /** The partition a storm is on, and its stream. */
  public record Where(String group, String topic, int partition, String stream) {
    public Where {
      List.of(group, topic, stream);
    }
  }

  /**
   * The latest trip: when, by whom (the consumer), the counts of the window then ({@code failures} of the fingerprint
   * among {@code records} judged), the first record held back instead of quarantined, and an item of the fingerprint
   * written before the trip, if one was.
   */
  public record Trip(Instant at, String by, int failures, int records, long firstHeldOffset,
      Optional<String> sampleItemId) {
    public Trip {
      List.of(at, by, sampleItemId);
    }
  }

  /**
   * Where the storm stands: its state, its version (every write of it adds one: an operator's change is conditional
   * on the version the operator saw), how many times it tripped, and the latest change, when and by whom.
   */
  public record Status(StormState state, long version, int trips, Instant changedAt, String changedBy) {
    public Status {
      List.of(state, changedAt, changedBy);
    }
  }

  /** A storm just tripped, not stored yet (its version is set by the write). */
  public static Storm tripped(Where where, Fingerprint fingerprint, Trip trip) {
    return new Storm(where, fingerprint, trip, new Status(StormState.TRIPPED, 0, 1, trip.at(), trip.by()));
  }

  /** Its id within its group: 16 hex characters of the partition and fingerprint, safe in a URL path. */
  public String id() {
    return idOf(where.topic(), where.partition(), fingerprint.id());
  }

  public String group() {
    return where.group();
  }

  public StormState state() {
    return status.state();
  }

  /** The id of the storm of {@code fingerprintId} on {@code topic}'s {@code partition}. */
  public static String idOf(String topic, int partition, String fingerprintId) {
    return Fingerprint.shortHash(topic + '\u0000' + partition + '\u0000' + fingerprintId);
  }

  /** Whether a string has the shape of a storm id. */
  public static boolean isId(String value) {
    // The same shape as a fingerprint's id.
    return Fingerprint.isId(value);
  }
}
