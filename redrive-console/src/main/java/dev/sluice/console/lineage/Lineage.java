package dev.sluice.console.lineage;

import dev.sluice.console.audit.AuditRecord;
import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.HandlerAttempt;
import dev.sluice.quarantine.store.QuarantineItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An item's story in order: ingest, every handler attempt, each status change (quarantine, retries, parking,
 * redrive, resolution, discard), the operator's edits with before and after, and where a redrive appended the event.
 * Built from the item (its attempt log and history) and the audit entries that name it; pure, no I/O.
 */
public final class Lineage {
  public static final String INGESTED = "INGESTED";
  public static final String ATTEMPT = "ATTEMPT";
  public static final String EDITED = "EDITED";
  public static final String APPENDED = "APPENDED";

  private Lineage() {}

  /**
   * One step. {@code position} is {@code topic-partition@offset} where the event was read or appended;
   * {@code stackTrace} is a failed attempt's stack trace, when one was kept.
   */
  public record Step(Instant at, String stage, String actor, String detail, Optional<String> position,
      Optional<String> before, Optional<String> after, Optional<String> stackTrace) {
    public Step {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(stage, "stage");
      actor = actor == null ? "" : actor;
      detail = detail == null ? "" : detail;
      Objects.requireNonNull(position, "position");
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
      Objects.requireNonNull(stackTrace, "stackTrace");
    }

    /** A step without a stack trace. */
    public Step(Instant at, String stage, String actor, String detail, Optional<String> position,
        Optional<String> before, Optional<String> after) {
      this(at, stage, actor, detail, position, before, after, Optional.empty());
    }

    static Step of(Instant at, String stage, String actor, String detail) {
      return new Step(at, stage, actor, detail, Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /** Steps oldest first; at equal times, in the order ingest, attempt, edit, then the rest. */
  public static List<Step> of(QuarantineItem item, List<AuditRecord> audit) {
    List<Step> steps = new ArrayList<>();
    Instant ingested = item.attemptLog().stream().map(HandlerAttempt::at)
        .filter(at -> at.isBefore(item.quarantinedAt())).min(Comparator.naturalOrder()).orElse(item.quarantinedAt());
    if (QuarantineItem.INGRESS_GROUP.equals(item.group())) {
      steps.add(Step.of(ingested, INGESTED, "gateway", "refused at ingress to stream " + item.stream()
          + "; never appended"));
    } else {
      String at = item.topic() + "-" + item.partition() + "@" + item.offset();
      steps.add(new Step(ingested, INGESTED, item.group(), "read by group " + item.group() + " from " + at,
          Optional.of(at), Optional.empty(), Optional.empty()));
    }
    for (HandlerAttempt a : item.attemptLog()) {
      steps.add(new Step(a.at(), ATTEMPT, item.group(), a.tier() + ": "
          + (a.errorClass().isEmpty() ? "succeeded" : a.errorClass() + ": " + a.message()), Optional.empty(),
          Optional.empty(), Optional.empty(), a.stackTrace()));
    }
    for (AuditEntry h : item.history()) {
      steps.add(Step.of(h.at(), h.action(), h.actor(), h.detail()));
    }
    for (AuditRecord r : audit) {
      if (r.before().isPresent() || r.after().isPresent()) {
        // The edit belongs just before the redrive it went with, which the item's history timed a moment earlier.
        Instant at = item.history().stream()
            .filter(h -> h.action().equals(r.action()) && !h.at().isAfter(r.at()))
            .map(AuditEntry::at).max(Comparator.naturalOrder()).orElse(r.at());
        steps.add(new Step(at, EDITED, r.actor(), "data edited before the redrive", Optional.empty(), r.before(),
            r.after()));
      }
      r.position().ifPresent(p -> steps.add(new Step(r.at(), APPENDED, r.actor(), "appended to " + p,
          Optional.of(p), Optional.empty(), Optional.empty())));
    }
    steps.sort(Comparator.comparing(Step::at).thenComparingInt(Lineage::rank));
    return steps;
  }

  private static int rank(Step s) {
    return switch (s.stage()) {
      case INGESTED -> 0;
      case ATTEMPT -> 1;
      case EDITED -> 2;
      case APPENDED -> 4;
      default -> 3;
    };
  }
}
