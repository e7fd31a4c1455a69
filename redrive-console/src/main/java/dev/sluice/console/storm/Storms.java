package dev.sluice.console.storm;

import static dev.sluice.console.problem.ConsoleFailure.failed;
import static dev.sluice.console.problem.ConsoleFailure.orFail;

import dev.sluice.console.audit.AuditLog;
import dev.sluice.console.audit.AuditRecord;
import dev.sluice.console.audit.Audited;
import dev.sluice.console.problem.ConsoleError;
import dev.sluice.quarantine.storm.Storm;
import dev.sluice.quarantine.storm.StormState;
import dev.sluice.quarantine.storm.StormStore;
import io.vertx.core.Future;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Storms as the console shows them and lifts them: list, read, resume, quarantine everything. A storm is tripped by a
 * group's consumer when one way of failing floods a partition; the partition stays paused until an operator acts here.
 * Every refusal is a {@link ConsoleError} decided before anything changes; every change is a conditional write on the
 * state and version read, and is audited. The group's consumers learn of it at their next lane refresh.
 */
public final class Storms {
  private final StormStore store;
  private final AuditLog audit;

  public Storms(StormStore store, AuditLog audit) {
    this.store = Objects.requireNonNull(store, "store");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /** Up to {@code limit} storms of every group, the latest changed first. */
  Future<List<Storm>> list(int limit) {
    return store.list(limit);
  }

  Future<Storm> get(String group, String id) {
    return store.get(group, id).compose(found -> orFail(found, new ConsoleError.StormNotFound(group, id)));
  }

  /**
   * Resumes a TRIPPED storm (the operator fixed the consumer or the stream): the partition takes its records again,
   * from the first one held, and the breaker re-arms with a fresh window, so a storm that goes on trips again. A
   * QUARANTINE_ALL storm is resumed too: the breaker watches its fingerprint again.
   */
  Future<Storm> resume(String group, String id, String actor) {
    return act(group, id, actor, Action.RESUME);
  }

  /**
   * Quarantines everything of a TRIPPED storm: the partition takes its records again, and those failing with the
   * storm's fingerprint become items one by one, as without a breaker, until the storm is resumed.
   */
  Future<Storm> quarantineAll(String group, String id, String actor) {
    return act(group, id, actor, Action.QUARANTINE_ALL);
  }

  /** An operator's action: the state it applies to, the state it leaves, and how it is audited. */
  private enum Action {
    RESUME("be resumed", StormState.RESUMED, AuditRecord.Actions.STORM_RESUME, "resumed"),
    QUARANTINE_ALL("quarantine everything", StormState.QUARANTINE_ALL, AuditRecord.Actions.STORM_QUARANTINE_ALL,
        "left to quarantine its records one by one");

    final String action;
    final StormState to;
    final String audit;
    final String done;

    Action(String action, StormState to, String audit, String done) {
      this.action = action;
      this.to = to;
      this.audit = audit;
      this.done = done;
    }

    boolean appliesTo(StormState state) {
      return switch (this) {
        case RESUME -> state != StormState.RESUMED;
        case QUARANTINE_ALL -> state == StormState.TRIPPED;
      };
    }
  }

  private Future<Storm> act(String group, String id, String actor, Action action) {
    return get(group, id)
        .compose(storm -> action.appliesTo(storm.state()) ? store.change(storm, action.to, actor)
            : failed(conflict(storm, action)))
        .compose(write -> write.written() ? Future.succeededFuture(write.storm().orElseThrow())
            : failed(lost(group, id, write.storm(), action)))
        .compose(storm -> Audited.result(storm, audit.record(actor, action.audit, List.of(),
            describe(storm) + " " + action.done, Optional.empty(), Optional.empty(), Optional.empty()),
            describe(storm) + " " + action.done));
  }

  /** The storm in the audit trail: where it is and how its records fail, never anything of their data. */
  private static String describe(Storm s) {
    return "storm " + s.id() + " of group " + s.group() + " on " + s.where().topic() + "-" + s.where().partition()
        + " (" + (s.fingerprint().type().isEmpty() ? "no type" : s.fingerprint().type()) + ", "
        + s.fingerprint().reason() + (s.fingerprint().locus().isEmpty() ? "" : " at " + s.fingerprint().locus())
        + ")";
  }

  private static ConsoleError conflict(Storm storm, Action action) {
    return new ConsoleError.StormStateConflict(storm.id(), storm.state().name(), action.action);
  }

  /** Someone changed the storm first: its state now, or it is gone. */
  private static ConsoleError lost(String group, String id, Optional<Storm> now, Action action) {
    return now.<ConsoleError>map(current -> conflict(current, action))
        .orElseGet(() -> new ConsoleError.StormNotFound(group, id));
  }
}
