package dev.sluice.schemas.registry.log;

import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.contracts.ContractImpact;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.SchemaProblem;
import dev.sluice.schemas.registry.SchemaVersion;
import java.util.List;
import java.util.Objects;

/** The outcome of registering a schema: a value, mapped to HTTP by the gateway. */
public sealed interface Registration
    permits Registration.Created, Registration.Existing, Registration.Incompatible, Registration.DeclaredReadsBroken,
        Registration.Refused, LogUnavailable {

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

  /**
   * The schema passes the type's compatibility level, but removes, makes optional or narrows fields that live consumer
   * groups declared they read, and the registry protects declared reads: nothing was written.
   *
   * @param latestVersion the version it was compared with
   * @param impact the groups and reads it breaks ({@link ContractImpact#protectedFieldsBroken} is not empty)
   */
  record DeclaredReadsBroken(int latestVersion, ContractImpact impact) implements Registration {
    public DeclaredReadsBroken {
      Objects.requireNonNull(impact, "impact");
    }
  }

  /** The document may not be registered at all (not JSON, not draft-07, remote {@code $ref}, bad type name...). */
  record Refused(List<SchemaProblem> problems) implements Registration {
    public Refused {
      problems = List.copyOf(problems);
    }
  }
}
