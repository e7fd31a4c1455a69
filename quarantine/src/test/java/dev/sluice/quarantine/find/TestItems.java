package dev.sluice.quarantine.find;

import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Quarantine items for find tests, built fresh on each call. */
final class TestItems {
  static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

  private TestItems() {}

  static QuarantineItem item(String type, QuarantineReason reason, String errorClass, List<Violation> violations,
      String payload) {
    return new QuarantineItem("id-1", QuarantineStatus.QUARANTINED, "retail", "catalog-builder", "retail", 0, 7L,
        Optional.of("p-1"), payload.getBytes(StandardCharsets.UTF_8), List.of(), Optional.of("e-1"),
        Optional.ofNullable(type), reason, errorClass, "msg", violations, 1, AT, AT, Optional.empty(), 0, List.of());
  }
}
