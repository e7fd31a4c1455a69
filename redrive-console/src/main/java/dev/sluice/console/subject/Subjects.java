package dev.sluice.console.subject;

import static dev.sluice.console.problem.ConsoleFailure.failed;

import dev.sluice.console.audit.AuditLog;
import dev.sluice.console.audit.AuditRecord;
import dev.sluice.console.problem.ConsoleError;
import dev.sluice.crypto.keys.Forgot;
import dev.sluice.crypto.keys.KeyRing;
import dev.sluice.crypto.keys.SubjectRef;
import dev.sluice.crypto.keys.SubjectState;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.Future;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The data subjects whose values a stream seals, as an admin sees them: whether a subject has a key, and forgetting one
 * ("crypto-shredding"). Forgetting deletes the subject's key in the key table, leaving a tombstone: from then on every
 * value sealed for it, on the live stream, in replays of any age, in quarantine items, reads as erased, and nothing can
 * recover it. Other subjects, and unmarked values, are untouched.
 *
 * <p>The audit entry is written first, and the tombstone names it: a forget that cannot be audited is not done (it
 * cannot be undone either). If the key table then fails, nothing was removed and the entry records only the request;
 * forgetting again is safe (a repeat changes nothing, and keeps the first forget's who and when).
 */
public final class Subjects {
  private final KeyRing keys;
  private final SchemaRegistry registry;
  private final AuditLog audit;

  public Subjects(KeyRing keys, SchemaRegistry registry, AuditLog audit) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /** What became of a forget: the subject, what the key table holds for it now, and the audit entry. */
  record Forgotten(SubjectRef subject, Forgot forgot, String auditId) {}

  /** What the key table says of the subject now, read, not cached. */
  Future<SubjectState> state(String stream, String subject) {
    return ref(stream, subject).compose(ref -> keys.state(ref)
        .recover(err -> failed(new ConsoleError.Unavailable("the key table did not answer; retry later"))));
  }

  /** Forgets the subject, as {@code actor}: audited first, then its key deleted. */
  Future<Forgotten> forget(String stream, String subject, String actor) {
    return ref(stream, subject).compose(ref -> audited(ref, actor)
        .compose(auditId -> keys.forget(ref, actor, auditId)
            .recover(err -> failed(new ConsoleError.Unavailable("the key table did not answer; nothing was removed "
                + "(the audit trail records the request), retry later")))
            .map(forgot -> new Forgotten(ref, forgot, auditId))));
  }

  /** The audit entry of a forget, written before anything is removed; its id, which the tombstone names. */
  private Future<String> audited(SubjectRef ref, String actor) {
    return audit.record(actor, AuditRecord.Actions.FORGET_SUBJECT, List.of(), "forgot data subject " + ref.subject()
            + " of stream " + ref.stream() + ": its key is deleted, so every value sealed for it reads as erased from "
            + "now on", Optional.empty(), Optional.empty(), Optional.empty())
        .map(AuditRecord::id)
        .recover(err -> failed(new ConsoleError.Unavailable("the audit trail could not record the forget; nothing "
            + "was removed, retry later")));
  }

  /** The subject of a stream of the catalog; a bad name is refused before anything is asked of the key table. */
  private Future<SubjectRef> ref(String stream, String subject) {
    if (registry.state().stream(stream).isEmpty()) {
      return failed(new ConsoleError.UnknownStream(stream));
    }
    if (!SubjectRef.isValidSubject(subject)) {
      return failed(new ConsoleError.BadParameter("subject", "a data subject is 1 to "
          + SubjectRef.MAX_SUBJECT_LENGTH + " characters with no control character"));
    }
    return Future.succeededFuture(new SubjectRef(stream, subject));
  }
}
