package dev.sluice.quarantine.store;

import java.util.Objects;
import java.util.Optional;

/** A list filter. Results come newest first (by quarantine time), at most {@code limit} of them. */
public record QuarantineQuery(
    Optional<QuarantineStatus> status, Optional<String> stream, Optional<String> group, int limit) {
  public static final int MAX_LIMIT = 500;

  public QuarantineQuery {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(group, "group");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }

  public static QuarantineQuery all(int limit) {
    return new QuarantineQuery(Optional.empty(), Optional.empty(), Optional.empty(), limit);
  }
}
