package dev.sluice.gateway.registry;

import dev.sluice.schemas.Violation;
import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.SchemaProblem;
import java.util.List;
import java.util.Objects;

/**
 * Why a registry request did not succeed: values, turned into problem+json in one place
 * ({@link dev.sluice.gateway.http.RegistryProblems}).
 */
public sealed interface RegistryFailure {

  /** No schema is registered for the type (404). */
  record UnknownType(String type) implements RegistryFailure {}

  /** The type exists, the version does not (404). */
  record UnknownVersion(String type, String version) implements RegistryFailure {}

  /** The version is neither a positive number nor {@code latest} (400). */
  record InvalidVersion(String version) implements RegistryFailure {}

  /** No stream by that name (404). */
  record UnknownStream(String stream) implements RegistryFailure {}

  /** The body is not declared as JSON (415). */
  record UnsupportedMediaType(String contentType) implements RegistryFailure {}

  /** The body is not one well-formed JSON value within the limits (400). */
  record MalformedJson(String detail) implements RegistryFailure {
    public MalformedJson {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** The body is over the registry's body limit (413). */
  record TooLarge(long limitBytes) implements RegistryFailure {}

  /** The schema document may not be registered (422). */
  record SchemaRefused(String type, List<SchemaProblem> problems) implements RegistryFailure {
    public SchemaRefused {
      problems = List.copyOf(problems);
    }
  }

  /** The schema breaks the type's compatibility level (409). */
  record Incompatible(String type, Compatibility level, List<Integer> checkedAgainst, List<BreakingChange> changes)
      implements RegistryFailure {
    public Incompatible {
      checkedAgainst = List.copyOf(checkedAgainst);
      changes = List.copyOf(changes);
    }
  }

  /** The body is JSON but not what the endpoint takes; pointers into the body (422). */
  record InvalidBody(String detail, List<Violation> violations) implements RegistryFailure {
    public InvalidBody {
      violations = List.copyOf(violations);
    }
  }

  /** The stream definition is invalid against the registered types; pointers into the body (422). */
  record StreamRefused(String stream, List<Violation> violations) implements RegistryFailure {
    public StreamRefused {
      violations = List.copyOf(violations);
    }
  }

  /** The stream definition contradicts the current state; pointers into the body (409). */
  record StreamConflict(String stream, List<Violation> conflicts) implements RegistryFailure {
    public StreamConflict {
      conflicts = List.copyOf(conflicts);
    }
  }

  /** The registry log could not be written in time; retrying is safe (503). */
  record Unavailable(String detail) implements RegistryFailure {}

  /** A validation too costly for the event loop found the validation pool full; retrying is safe (503). */
  record ValidationBusy() implements RegistryFailure {}
}
