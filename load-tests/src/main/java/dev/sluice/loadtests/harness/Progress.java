package dev.sluice.loadtests.harness;

import io.vertx.core.Future;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/** Progress lines while the benchmark runs (one per phase step and one per second of measurement). */
public final class Progress {
  private final PrintStream out;
  private final long startNanos = System.nanoTime();

  public Progress(PrintStream out) {
    this.out = out;
  }

  public void phase(String label, String how) {
    out.printf("[%5.1fs] == %s: %s%n", elapsed(), label, how);
  }

  public void note(String text) {
    out.printf("[%5.1fs]    %s%n", elapsed(), text);
  }

  public void done(String text) {
    out.printf("[%5.1fs]    -> %s%n", elapsed(), text);
  }

  /**
   * Sleeps for {@code length}, printing a line each second; with {@code counter}, the line shows the count so far and
   * the rate over the last second.
   */
  public void sleepWithTicks(String step, Duration length, LongSupplier counter) throws InterruptedException {
    long end = System.nanoTime() + length.toNanos();
    long last = counter == null ? 0 : counter.getAsLong();
    int second = 0;
    while (true) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(left, 1_000_000_000L));
      second++;
      if (counter != null) {
        long now = counter.getAsLong();
        out.printf("[%5.1fs]    %s %ds: %,d events, %,d in the last second%n", elapsed(), step, second, now,
            now - last);
        last = now;
      } else if (System.nanoTime() < end) {
        out.printf("[%5.1fs]    %s %ds%n", elapsed(), step, second);
      }
    }
  }

  double elapsed() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Blocks the calling (non-Vert.x) thread for a future's result, with a bound. */
  public static <T> T await(Future<T> future, long seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + seconds + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
