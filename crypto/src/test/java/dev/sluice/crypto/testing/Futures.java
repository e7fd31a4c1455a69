package dev.sluice.crypto.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Waiting for a Future in a test thread. */
public final class Futures {
  private Futures() {}

  public static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Why {@code f} failed; the test fails if it succeeds. */
  public static Throwable failure(Future<?> f) {
    return assertThrows(ExecutionException.class, () -> await(f)).getCause();
  }
}
