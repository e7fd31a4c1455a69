package dev.sluice.console.problem;

import io.vertx.core.Future;
import java.util.Objects;
import java.util.Optional;

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

  /** {@code value} in a succeeded Future, or a Future failed with {@code absent} when there is none. */
  public static <T> Future<T> orFail(Optional<T> value, ConsoleError absent) {
    return value.map(Future::succeededFuture).orElseGet(() -> failed(absent));
  }

  public ConsoleError error() {
    return error;
  }
}
