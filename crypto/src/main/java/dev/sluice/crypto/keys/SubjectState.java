package dev.sluice.crypto.keys;

import java.time.Instant;
import java.util.Optional;

/** What the key table says of a subject now: for operators, never cached. */
public record SubjectState(State state, long generation, Optional<Instant> createdAt, Optional<Instant> forgottenAt) {
  public enum State {
    /** It has a key. */
    ACTIVE,
    /** Its key was removed: its sealed values read as erased. */
    FORGOTTEN,
    /** No row: nothing was ever sealed for it (or the table lost the row). */
    UNKNOWN
  }

  public static SubjectState of(Optional<DekRow> row) {
    if (row.isEmpty()) {
      return new SubjectState(State.UNKNOWN, 0, Optional.empty(), Optional.empty());
    }
    DekRow r = row.get();
    return new SubjectState(r.active() ? State.ACTIVE : State.FORGOTTEN, r.generation(), Optional.of(r.createdAt()),
        r.forgotten().map(Forgetting::at));
  }
}
