package dev.sluice.gateway.registry;

import dev.sluice.gateway.problem.GatewayProblem;
import dev.sluice.ingest.problem.Failure;
import dev.sluice.ingest.problem.ProblemType;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.contracts.AffectedReader;
import dev.sluice.schemas.contracts.ContractImpact;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.SchemaProblem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Why a registry request did not succeed: values that know their problem, {@code violations} being JSON pointers into
 * the request body (or into the schema document for a refused schema). Where the registry API meets a fault ingest
 * has too (an unknown stream, a body that is not JSON, too large or of another media type, a busy validation pool),
 * it answers with the ingest contract's own rejection instead ({@code Rejection}).
 */
public sealed interface RegistryFailure extends Failure {

  /** No schema is registered for the type (404). */
  record UnknownType(String type) implements RegistryFailure {
    public ProblemType problem() {
      return GatewayProblem.UNKNOWN_TYPE;
    }

    public String detail() {
      return "no schema is registered for type '" + type + "'";
    }
  }

  /** The type exists, the version does not (404). */
  record UnknownVersion(String type, String version) implements RegistryFailure {
    public ProblemType problem() {
      return GatewayProblem.UNKNOWN_VERSION;
    }

    public String detail() {
      return "type '" + type + "' has no version " + version;
    }
  }

  /** The version is neither a positive number nor {@code latest} (400). */
  record InvalidVersion(String version) implements RegistryFailure {
    public ProblemType problem() {
      return GatewayProblem.INVALID_VERSION;
    }

    public String detail() {
      return "a version is a positive number or 'latest', was '" + version + "'";
    }
  }

  /** The schema document may not be registered (422); pointers into the schema, the rule as keyword. */
  record SchemaRefused(String type, List<SchemaProblem> problems) implements RegistryFailure {
    public SchemaRefused {
      problems = List.copyOf(problems);
    }

    public ProblemType problem() {
      return GatewayProblem.SCHEMA_REFUSED;
    }

    public String detail() {
      return "the schema cannot be registered for '" + type + "': "
          + problems.stream().map(SchemaProblem::message).collect(Collectors.joining("; "));
    }

    public List<Violation> violations() {
      return RegistryJson.asViolations(problems);
    }
  }

  /**
   * The schema breaks the type's compatibility level (409).
   *
   * @param impact the live groups whose declared reads the change touches ({@code affects})
   * @param affectsUnknown why the groups could not be read, when they could not
   */
  record Incompatible(String type, Compatibility level, List<Integer> checkedAgainst, List<BreakingChange> changes,
      ContractImpact impact, Optional<String> affectsUnknown) implements RegistryFailure {
    public Incompatible {
      checkedAgainst = List.copyOf(checkedAgainst);
      changes = List.copyOf(changes);
      Objects.requireNonNull(impact, "impact");
      Objects.requireNonNull(affectsUnknown, "affectsUnknown");
    }

    /** Without declared reads: nobody is known to be affected. */
    public Incompatible(String type, Compatibility level, List<Integer> checkedAgainst, List<BreakingChange> changes) {
      this(type, level, checkedAgainst, changes, ContractImpact.NONE, Optional.empty());
    }

    public ProblemType problem() {
      return GatewayProblem.INCOMPATIBLE_SCHEMA;
    }

    public String detail() {
      String against = checkedAgainst.stream().map(String::valueOf).collect(Collectors.joining(", "));
      return "the schema breaks " + level + " compatibility of '" + type + "'"
          + (against.isEmpty() ? "" : " with version" + (checkedAgainst.size() > 1 ? "s " : " ") + against)
          + ": " + changes.stream().map(BreakingChange::message).collect(Collectors.joining("; "));
    }

    /**
     * {@code compatibility}, {@code checkedAgainst}, {@code changes} (JSON pointers into the schema that reads, data
     * paths), {@code affects} (who reads what the changes break) and {@code affectsUnknown} when that is not known.
     */
    public JsonObject members() {
      JsonObject out = new JsonObject().put("compatibility", level.name())
          .put("checkedAgainst", new JsonArray(checkedAgainst)).put("changes", ContractJson.changes(changes));
      return ContractJson.putAffects(out, impact, affectsUnknown);
    }
  }

  /**
   * The schema passes the level but removes, makes optional or narrows fields that live consumer groups declared they
   * read, and the registry protects declared reads (409).
   */
  record DeclaredReadsBroken(String type, int latestVersion, ContractImpact impact) implements RegistryFailure {
    public DeclaredReadsBroken {
      Objects.requireNonNull(impact, "impact");
    }

    public ProblemType problem() {
      return GatewayProblem.DECLARED_READS_BROKEN;
    }

    public String detail() {
      List<String> groups = impact.protectedFieldsBroken().stream().map(AffectedReader::group).toList();
      return "the schema removes, makes optional or narrows fields of '" + type + "' (against version "
          + latestVersion + ") that " + groups.size() + " live consumer group" + (groups.size() == 1 ? "" : "s")
          + " declared they read, and this registry protects declared reads: agree the change with "
          + (groups.size() == 1 ? "it" : "them") + " first (see affects)";
    }

    /** {@code latestVersion}, {@code changes} (every protected change that touches a read) and {@code affects}. */
    public JsonObject members() {
      List<BreakingChange> changes = new ArrayList<>();
      impact.protectedFieldsBroken().forEach(g -> g.reads().forEach(r -> r.changes().forEach(c -> {
        if (!changes.contains(c)) {
          changes.add(c);
        }
      })));
      JsonObject out = new JsonObject().put("latestVersion", latestVersion).put("changes",
          ContractJson.changes(changes));
      return ContractJson.putGroups(out, "affects", impact.protectedFieldsBroken());
    }
  }

  /**
   * The registry protects declared reads and the live groups could not be read: nothing was registered, rather than
   * register unchecked; retrying is safe (503).
   */
  record DeclaredReadsUnavailable(String reason) implements RegistryFailure {
    public ProblemType problem() {
      return GatewayProblem.DECLARED_READS_UNAVAILABLE;
    }

    public String detail() {
      return "this registry protects declared reads, and " + reason + "; nothing was registered, and retrying the "
          + "same request is safe";
    }
  }

  /** The body is JSON but not what the endpoint takes; pointers into the body (422). */
  record InvalidBody(String detail, List<Violation> violations) implements RegistryFailure {
    public InvalidBody {
      violations = List.copyOf(violations);
    }

    public ProblemType problem() {
      return GatewayProblem.INVALID_BODY;
    }
  }

  /** The stream definition is invalid against the registered types; pointers into the body (422). */
  record StreamRefused(String stream, List<Violation> violations) implements RegistryFailure {
    public StreamRefused {
      violations = List.copyOf(violations);
    }

    public ProblemType problem() {
      return GatewayProblem.STREAM_REFUSED;
    }

    public String detail() {
      return "stream '" + stream + "' cannot be stored: " + messages(violations);
    }
  }

  /** The stream definition contradicts the current state; pointers into the body (409). */
  record StreamConflict(String stream, List<Violation> conflicts) implements RegistryFailure {
    public StreamConflict {
      conflicts = List.copyOf(conflicts);
    }

    public ProblemType problem() {
      return GatewayProblem.STREAM_CONFLICT;
    }

    public String detail() {
      return "stream '" + stream + "' cannot be changed that way: " + messages(conflicts);
    }

    public List<Violation> violations() {
      return conflicts;
    }
  }

  /** The registry log could not be written in time; retrying is safe (503). {@code reason} says what happened. */
  record Unavailable(String reason) implements RegistryFailure {
    public ProblemType problem() {
      return GatewayProblem.REGISTRY_UNAVAILABLE;
    }

    public String detail() {
      return "the registry change could not be confirmed in time; it may or may not have been applied, and retrying "
          + "the same request is safe (" + reason + ")";
    }
  }

  private static String messages(List<Violation> violations) {
    return violations.stream().map(Violation::message).collect(Collectors.joining("; "));
  }
}
