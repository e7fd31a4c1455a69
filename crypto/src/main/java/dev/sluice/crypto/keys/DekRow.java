package dev.sluice.crypto.keys;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The key table's row for one subject's data key (DEK): its generation and, while the subject is not forgotten, the
 * keyset wrapped by the stream key. A tombstone (after a forget) keeps the generation and says who forgot it, and has
 * no key: that is what tells "erased" apart from "never existed".
 *
 * @param createdAt when this generation's key was made (for a tombstone of a subject never seen: when it was forgotten)
 */
public record DekRow(SubjectRef subject, long generation, Optional<WrappedKey> wrapped, Instant createdAt,
    Optional<Forgetting> forgotten) {
  public DekRow {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(wrapped, "wrapped");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(forgotten, "forgotten");
    if (generation < 0 || (wrapped.isPresent() && generation < 1)) {
      throw new IllegalArgumentException("generation " + generation + " for a "
          + (wrapped.isPresent() ? "key" : "tombstone"));
    }
  }

  public static DekRow active(SubjectRef subject, long generation, WrappedKey wrapped, Instant createdAt) {
    return new DekRow(subject, generation, Optional.of(wrapped), createdAt, Optional.empty());
  }

  public static DekRow tombstone(SubjectRef subject, long generation, Instant createdAt, Forgetting forgetting) {
    return new DekRow(subject, generation, Optional.empty(), createdAt, Optional.of(forgetting));
  }

  /** Whether the subject has a key now (it is not forgotten). */
  public boolean active() {
    return wrapped.isPresent();
  }

  /** This row after {@code forgetting}: the same generation, no key. */
  public DekRow forgottenBy(Forgetting forgetting) {
    return tombstone(subject, generation, createdAt, forgetting);
  }
}
