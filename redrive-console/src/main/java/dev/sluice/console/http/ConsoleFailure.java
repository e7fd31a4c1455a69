package dev.sluice.console.http;

import java.util.Objects;

/**
 * Carries a {@link ConsoleError} through a failed Future. Stackless: it is an expected outcome, not a bug.
 */
public final class ConsoleFailure extends RuntimeException {
  private final transient ConsoleError error;

  public ConsoleFailure(ConsoleError error) {
    super(error.toString(), null, false, false);
    this.error = Objects.requireNonNull(error, "error");
  }

  public ConsoleError error() {
    return error;
  }
}
