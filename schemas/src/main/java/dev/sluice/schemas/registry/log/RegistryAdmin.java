package dev.sluice.schemas.registry.log;

import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.contracts.DeclaredReader;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.RegistryRecord;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaFingerprint;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.SchemaVersion;
import dev.sluice.schemas.registry.log.RegistryDecisions.Decision;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The registry's write API: decides from the current state ({@link RegistryDecisions}), appends to the
 * {@link RegistryLog}, and reports what the log made of it once this process has applied it.
 *
 * <p>Blocking (up to the log's write timeout per append): call it on worker threads. Synchronized, so writes from one
 * process are decided and appended one at a time and never race each other; races with other replicas are settled by
 * the log order, which every replica applies alike.
 */
public final class RegistryAdmin {
  /** Bound on re-tries after losing a version number to another replica. */
  static final int MAX_REGISTER_ATTEMPTS = 5;
  private static final System.Logger LOG = System.getLogger(RegistryAdmin.class.getName());

  private final RegistryLog log;
  private final SchemaRegistry registry;

  public RegistryAdmin(RegistryLog log) {
    this.log = Objects.requireNonNull(log, "log");
    this.registry = log.registry();
  }

  /**
   * Registers {@code schemaJson} as the next version of {@code type}, unless it is refused, incompatible, or already
   * registered. If another replica took the version number first (its record is earlier in the log), the decision is
   * made again against the new state (compatibility included) and the next number tried, up to
   * {@value #MAX_REGISTER_ATTEMPTS} times.
   */
  public Registration register(String type, String schemaJson) {
    return register(type, schemaJson, List.of());
  }

  /**
   * As {@link #register(String, String)}, protecting the reads {@code protectedReads} declare: a schema that removes,
   * makes optional or narrows one of their fields is refused ({@link Registration.DeclaredReadsBroken}). The check is
   * part of each decision, so it is made against the same latest version as the compatibility check, also after losing
   * a race to another replica.
   */
  public synchronized Registration register(String type, String schemaJson, List<DeclaredReader> protectedReads) {
    for (int attempt = 1; attempt <= MAX_REGISTER_ATTEMPTS; attempt++) {
      Decision<Registration> decision =
          RegistryDecisions.register(registry.state(), type, schemaJson, protectedReads);
      if (decision instanceof Decision.Answer<Registration> answer) {
        return answer.answer();
      }
      var record = (RegistryRecord.SchemaRegistered) ((Decision.Append<Registration>) decision).record();
      try {
        log.append(List.of(record));
      } catch (RegistryUnavailableException e) {
        return new LogUnavailable(e.getMessage());
      }
      Optional<SchemaVersion> written = registry.state().version(type, record.version());
      if (written.isPresent() && written.get().fingerprint().equals(SchemaFingerprint.of(schemaJson))) {
        return new Registration.Created(written.get());
      }
      // Lost the race for this number; the next turn sees the winner (and answers Existing if it is the same schema).
      LOG.log(System.Logger.Level.INFO, "version {0} of {1} was taken by another replica first; deciding again",
          record.version(), type);
    }
    return new LogUnavailable("version numbers of '" + type + "' kept being taken by other replicas ("
        + MAX_REGISTER_ATTEMPTS + " attempts); try again");
  }

  /** Sets the compatibility level of a type that has at least one version. */
  public synchronized CompatibilityChange setCompatibility(String type, Compatibility level) {
    // Last write wins; report the level in force now (another replica may have set one just after).
    return carryOut(RegistryDecisions.setCompatibility(registry.state(), type, level), LogUnavailable::new,
        () -> new CompatibilityChange.Set(type, registry.state().compatibility(type), true));
  }

  /** Creates or replaces a stream definition. */
  public synchronized StreamChange putStream(StreamDefinition stream) {
    RegistryState before = registry.state();
    Decision<StreamChange> decision = RegistryDecisions.putStream(before, stream, log.config().topic());
    return carryOut(decision, LogUnavailable::new, () -> {
      Optional<StreamDefinition> now = registry.state().stream(stream.name());
      if (now.isEmpty() || !now.get().equals(stream)) {
        // Another replica's definition landed after ours and won (last write wins): say so rather than claim success.
        return new StreamChange.Conflict(List.of(new StreamProblem("", "concurrent-change",
            "another change to stream '" + stream.name() + "' was applied at the same time and won; read the stream "
                + "and try again")));
      }
      return new StreamChange.Saved(stream, before.stream(stream.name()).isEmpty(), true);
    });
  }

  /**
   * Carries out a decision that takes one append: its answer if it needs none, else its record appended and then
   * {@code applied}'s answer, asked once this process has applied the record ({@code unavailable}'s if the log did not
   * take it in time).
   */
  private <A> A carryOut(Decision<A> decision, Function<String, A> unavailable, Supplier<A> applied) {
    if (decision instanceof Decision.Answer<A> answer) {
      return answer.answer();
    }
    try {
      log.append(List.of(((Decision.Append<A>) decision).record()));
    } catch (RegistryUnavailableException e) {
      return unavailable.apply(e.getMessage());
    }
    return applied.get();
  }
}
