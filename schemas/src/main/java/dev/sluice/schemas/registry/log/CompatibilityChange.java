package dev.sluice.schemas.registry.log;

import dev.sluice.schemas.registry.Compatibility;
import java.util.Objects;

/** The outcome of setting a type's compatibility level. */
public sealed interface CompatibilityChange
    permits CompatibilityChange.Set, CompatibilityChange.UnknownType, LogUnavailable {

  /** The type's level is now {@code level}; {@code changed} is false when it already was (nothing written). */
  record Set(String type, Compatibility level, boolean changed) implements CompatibilityChange {
    public Set {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(level, "level");
    }
  }

  /** The type has no registered version. */
  record UnknownType(String type) implements CompatibilityChange {
    public UnknownType {
      Objects.requireNonNull(type, "type");
    }
  }
}
