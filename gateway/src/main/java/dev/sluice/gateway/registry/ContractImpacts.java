package dev.sluice.gateway.registry;

import dev.sluice.schemas.contracts.ContractImpact;
import dev.sluice.schemas.contracts.DeclaredReader;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaVersion;
import dev.sluice.schemas.registry.log.Registration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Who a registration's outcome affects, for the answers of both registry APIs. Parses and compares schemas: call it on
 * a worker.
 */
public final class ContractImpacts {
  /** Said as {@code affectsUnknown} when who a change affects could not be worked out. */
  public static final String NOT_WORKED_OUT = "who this change affects could not be worked out";
  private static final System.Logger LOG = System.getLogger(ContractImpacts.class.getName());

  private ContractImpacts() {}

  /**
   * The groups among {@code readers} that {@code r} affects: for a new version, what changed from the version before
   * it; for an incompatible one, what its breaking changes and the protected changes touch (against the latest version
   * it was checked with); for a refusal of protect mode, its own impact; nobody otherwise (nothing changed). Empty
   * when it could not be worked out: the registration is decided (and maybe written) already, so a fault here is told
   * as "affects unknown", never as a failed registration.
   */
  public static Optional<ContractImpact> after(RegistryState state, String type, String candidate, Registration r,
      List<DeclaredReader> readers) {
    if (r instanceof Registration.DeclaredReadsBroken broken) {
      return Optional.of(broken.impact());
    }
    if (readers.isEmpty()) {
      return Optional.of(ContractImpact.NONE);
    }
    if (r instanceof Registration.Created c) {
      return of(state.version(type, c.version().version() - 1), candidate, r, readers);
    }
    if (r instanceof Registration.Incompatible i) {
      int latest = i.checkedAgainst().isEmpty() ? 0 : Collections.max(i.checkedAgainst());
      return of(state.version(type, latest).or(() -> state.latest(type)), candidate, r, readers);
    }
    return Optional.of(ContractImpact.NONE);
  }

  private static Optional<ContractImpact> of(Optional<SchemaVersion> previous, String candidate, Registration r,
      List<DeclaredReader> readers) {
    try {
      return Optional.of(ContractImpact.of(previous.map(SchemaVersion::schemaJson), candidate,
          r instanceof Registration.Incompatible i ? i.changes() : List.of(), readers));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not work out who a schema change affects", e);
      return Optional.empty();
    }
  }
}
