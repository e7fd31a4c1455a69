package dev.sluice.crypto.keys;

import java.time.Instant;
import java.util.Objects;

/**
 * Who forgot a subject, when, and the audit entry that says why (the reason itself is kept in the audit trail, not
 * next to the keys).
 */
public record Forgetting(Instant at, String by, String auditId) {
  public Forgetting {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(auditId, "auditId");
  }
}
