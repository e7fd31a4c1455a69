package dev.sluice.quarantine.replay;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which part of history a replay hands to its group's handler: events written before {@code to} (by the Kafka record's
 * timestamp, the clock {@code from} is read on too), of one of {@code types} (the CloudEvent {@code type}), with one of
 * {@code keys} (the Kafka record key). An empty set means any; {@link #ALL} is everything. The slice narrows what is
 * handled, never where the group ends up: the captured end and the hand-off to live are those of a cold start.
 *
 * @param to events at or after it are skipped; empty: no bound
 * @param types empty: any type
 * @param keys empty: any key
 */
public record Slice(Optional<Instant> to, Set<String> types, Set<String> keys) {
  /** The most values {@code types} and {@code keys} may each hold. */
  public static final int MAX_VALUES = 100;
  /** The longest a type or key may be. */
  public static final int MAX_VALUE_LENGTH = 256;
  /** The whole of history: what a replay started without a slice replays. */
  public static final Slice ALL = new Slice(Optional.empty(), Set.of(), Set.of());

  public Slice {
    Objects.requireNonNull(to, "to");
    types = Set.copyOf(types);
    keys = Set.copyOf(keys);
  }

  public boolean isAll() {
    return equals(ALL);
  }

  /**
   * Whether a record of history is in the slice. {@code type} is empty for a record that is not a readable CloudEvent:
   * it is then of no listed type, so outside a slice by type, but judged like any other record when no type is listed
   * (poison in the slice is quarantined as live, never dropped unseen). A record without a key is outside a slice by
   * key.
   */
  public boolean holds(Instant time, Optional<String> key, Optional<String> type) {
    return holdsTimeAndKey(time, key) && (types.isEmpty() || type.filter(types::contains).isPresent());
  }

  /**
   * Whether a record written at {@code time} with {@code key} may be in the slice, whatever its type: when not, it is
   * outside without being decoded.
   */
  public boolean holdsTimeAndKey(Instant time, Optional<String> key) {
    return to.map(time::isBefore).orElse(true) && (keys.isEmpty() || key.filter(keys::contains).isPresent());
  }
}
