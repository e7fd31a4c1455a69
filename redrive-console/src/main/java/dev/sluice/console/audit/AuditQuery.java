package dev.sluice.console.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which audit entries to list, newest first. {@code from} is inclusive, {@code to} exclusive. Without {@code itemId}
 * or {@code actor}, entries are read day by day backwards from {@code to} (or now) to {@code from} (or
 * {@link AuditLog#DEFAULT_LOOKBACK} before that).
 */
public record AuditQuery(
    Optional<String> itemId, Optional<String> actor, Optional<String> action, Optional<Instant> from,
    Optional<Instant> to) {
  public static final AuditQuery ALL =
      new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public AuditQuery {
    // A field that does not narrow the query is Optional.empty(), never null: List.of refuses a null field here.
    List.of(itemId, actor, action, from, to);
  }
}
