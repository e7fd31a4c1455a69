package dev.sluice.schemas.registry;

import dev.sluice.schemas.Violation;
import java.util.List;

/** The outcome of validating an event's {@code data}: kept as a value, mapped to HTTP or a quarantine reason by callers. */
public sealed interface Validation {

  /** The data conforms. {@code parsed} is the org.json value it was checked as, so callers need not parse again. */
  record Valid(Object parsed) implements Validation {}

  /** The data is JSON but breaks the schema; every violation is listed. */
  record Invalid(List<Violation> violations) implements Validation {
    public Invalid {
      violations = List.copyOf(violations);
    }
  }

  /** No schema is registered for the type. */
  record UnknownType(String type) implements Validation {}

  /** The data is not JSON at all. */
  record Malformed(String message) implements Validation {}
}
