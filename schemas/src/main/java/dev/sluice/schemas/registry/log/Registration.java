package dev.sluice.schemas.registry.log;

import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.SchemaProblem;
import dev.sluice.schemas.registry.SchemaVersion;
import java.util.List;
import java.util.Objects;

/** The outcome of registering a schema: a value, mapped to HTTP by the gateway. */
public sealed interface Registration
    permits Registration.Created, Registration.Existing, Registration.Incompatible, Registration.Refused,
        LogUnavailable {

  /** A new version was appended to the registry log and applied. */
  record Created(SchemaVersion version) implements Registration {
    public Created {
      Objects.requireNonNull(version, "version");
    }
  }

  /** The type already has a version with this schema (same fingerprint); nothing was written. */
  record Existing(SchemaVersion version) implements Registration {
    public Existing {
      Objects.requireNonNull(version, "version");
    }
  }

  /**
   * The schema breaks the type's compatibility level.
   *
   * @param checkedAgainst the versions it was compared with, oldest first
   */
  record Incompatible(Compatibility level, List<Integer> checkedAgainst, List<BreakingChange> changes)
      implements Registration {
    public Incompatible {
      Objects.requireNonNull(level, "level");
      checkedAgainst = List.copyOf(checkedAgainst);
      changes = List.copyOf(changes);
    }
  }

  /** The document may not be registered at all (not JSON, not draft-07, remote {@code $ref}, bad type name...). */
  record Refused(List<SchemaProblem> problems) implements Registration {
    public Refused {
      problems = List.copyOf(problems);
    }
  }
}
