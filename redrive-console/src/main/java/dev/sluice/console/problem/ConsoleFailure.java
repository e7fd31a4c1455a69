package dev.sluice.console.problem;

import io.vertx.core.Future;
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

  /** A Future failed with {@code error}. */
  public static <T> Future<T> failed(ConsoleError error) {
    return Future.failedFuture(new ConsoleFailure(error));
  }

  public ConsoleError error() {
    return error;
  }
}
