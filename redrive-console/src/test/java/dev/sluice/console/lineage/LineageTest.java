package dev.sluice.console.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.audit.AuditRecord;
import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.HandlerAttempt;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LineageTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static QuarantineItem item(String group, List<HandlerAttempt> attempts, List<AuditEntry> history) {
    return new QuarantineItem("id-1", QuarantineStatus.RESOLVED, "retail", group, "retail", 2, 41, Optional.of("k"),
        new byte[0], List.of(), Optional.empty(), Optional.of("t"), QuarantineReason.HANDLER_REJECTED, "", "",
        List.of(), attempts.size(), T.plusSeconds(2), T.plusSeconds(9), Optional.of("{}"), 1, history, attempts,
        Optional.empty(), Optional.empty(), 1);
  }

  @Test
  void tellsTheStoryInOrderWithTheEditBeforeItsRedrive() {
    QuarantineItem item = item("catalog-builder",
        List.of(HandlerAttempt.failed(T.plusSeconds(1), HandlerAttempt.Tier.IN_PLACE, new IllegalStateException("x")),
            HandlerAttempt.succeeded(T.plusSeconds(6), HandlerAttempt.Tier.REDRIVE)),
        List.of(new AuditEntry(T.plusSeconds(2), "QUARANTINED", "catalog-builder", "HANDLER_REJECTED: x"),
            new AuditEntry(T.plusSeconds(5), "REDRIVE_EDITED", "ann", "redrive with edited data"),
            new AuditEntry(T.plusSeconds(7), "RESOLVED", "catalog-builder", "ok")));
    AuditRecord edit = new AuditRecord("a", T.plusSeconds(5).plusMillis(3), "ann", "REDRIVE_EDITED",
        List.of("id-1"), "queued", Optional.of("{\"p\":1}"), Optional.of("{\"p\":2}"), Optional.empty());

    List<Lineage.Step> steps = Lineage.of(item, List.of(edit));
    assertEquals(List.of("INGESTED", "ATTEMPT", "QUARANTINED", "EDITED", "REDRIVE_EDITED", "ATTEMPT", "RESOLVED"),
        steps.stream().map(Lineage.Step::stage).toList());
    assertEquals(Optional.of("retail-2@41"), steps.get(0).position());
    assertEquals(T.plusSeconds(1), steps.get(0).at(), "ingest is no later than the first attempt");
    assertEquals(item.attemptLog().get(0).stackTrace(), steps.get(1).stackTrace(), "the failed attempt's trace");
    assertTrue(steps.get(1).stackTrace().orElseThrow().startsWith("java.lang.IllegalStateException: x\n\tat "));
    assertEquals(Optional.empty(), steps.get(5).stackTrace(), "a success has none");
    assertEquals(Optional.empty(), steps.get(2).stackTrace(), "nor has a status change");
    assertEquals(Optional.of("{\"p\":1}"), steps.get(3).before());
    assertEquals(Optional.of("{\"p\":2}"), steps.get(3).after());
  }

  @Test
  void anIngressRejectEndsWhereItsRedriveAppendedIt() {
    QuarantineItem item = item(QuarantineItem.INGRESS_GROUP, List.of(),
        List.of(new AuditEntry(T.plusSeconds(2), "QUARANTINED", "gateway", "refused"),
            new AuditEntry(T.plusSeconds(5), "REDRIVE", "bob", "redrive as is"),
            new AuditEntry(T.plusSeconds(5), "RESOLVED", "bob", "appended to retail-0@7")));
    AuditRecord redrive = new AuditRecord("a", T.plusSeconds(5).plusMillis(1), "bob", "REDRIVE", List.of("id-1"),
        "appended to retail-0@7", Optional.empty(), Optional.empty(), Optional.of("retail-0@7"));
    List<Lineage.Step> steps = Lineage.of(item, List.of(redrive));
    assertEquals(List.of("INGESTED", "QUARANTINED", "REDRIVE", "RESOLVED", "APPENDED"),
        steps.stream().map(Lineage.Step::stage).toList());
    assertEquals(Optional.empty(), steps.get(0).position(), "never appended before");
    assertEquals(Optional.of("retail-0@7"), steps.get(4).position());
  }
}
