package dev.sluice.quarantine.store;

import java.time.Instant;
import java.util.Objects;

/** One line of an item's audit trail: who did what to it, and when. */
public record AuditEntry(Instant at, String action, String actor, String detail) {
  public AuditEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(actor, "actor");
    detail = detail == null ? "" : detail;
  }
}
