package dev.sluice.schemas.registry.log;

import java.util.Objects;

/**
 * The answer to any registry write whose record the log did not take in time (broker down, or the write not seen back
 * within the write timeout): the change may or may not have been applied, and making it again is safe. The same schema
 * registered again answers {@link Registration.Existing}; the same level or definition set again writes nothing.
 *
 * @param detail what happened, for the client
 */
public record LogUnavailable(String detail) implements Registration, CompatibilityChange, StreamChange {
  public LogUnavailable {
    Objects.requireNonNull(detail, "detail");
  }
}
