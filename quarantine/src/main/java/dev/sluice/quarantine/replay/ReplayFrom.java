package dev.sluice.quarantine.replay;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where in history a replay starts: the first event each partition still holds ({@code earliest}), or the first event
 * at or after an instant.
 *
 * @param instant empty for {@code earliest}
 */
public record ReplayFrom(Optional<Instant> instant) {
  public static final String EARLIEST = "earliest";

  public ReplayFrom {
    Objects.requireNonNull(instant, "instant");
  }

  public static ReplayFrom earliest() {
    return new ReplayFrom(Optional.empty());
  }

  public static ReplayFrom at(Instant instant) {
    return new ReplayFrom(Optional.of(instant));
  }

  /**
   * {@code earliest}, or an ISO-8601 instant with its offset ({@code 2025-03-01T00:00:00Z},
   * {@code 2025-03-01T01:00:00+01:00}); empty for anything else.
   */
  public static Optional<ReplayFrom> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.strip();
    if (t.equals(EARLIEST)) {
      return Optional.of(earliest());
    }
    try {
      return Optional.of(at(OffsetDateTime.parse(t).toInstant()));
    } catch (DateTimeParseException notATime) {
      return Optional.empty();
    }
  }

  /** As {@link #parse} reads it back: {@code earliest} or the instant in UTC. */
  public String text() {
    return instant.map(Instant::toString).orElse(EARLIEST);
  }
}
