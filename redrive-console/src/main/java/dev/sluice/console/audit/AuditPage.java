package dev.sluice.console.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One page of audit entries, newest first; {@code next} is absent when nothing older matches. */
public record AuditPage(List<AuditRecord> entries, Optional<AuditCursor> next) {
  public AuditPage {
    entries = List.copyOf(entries);
    Objects.requireNonNull(next, "next");
  }
}
