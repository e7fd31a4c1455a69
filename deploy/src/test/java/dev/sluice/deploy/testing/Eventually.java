package dev.sluice.deploy.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/** Waits for an asynchronous outcome: polls until the supplier gives a value, or fails with what it last saw. */
public final class Eventually {
  private Eventually() {}

  public static <T> T await(String what, Duration within, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + within.toNanos();
    RuntimeException last = null;
    while (true) {
      try {
        Optional<T> v = probe.get();
        if (v.isPresent()) {
          return v.get();
        }
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionFailedError("timed out after " + within + " waiting for " + what
            + (last == null ? "" : " (last error: " + last + ")"), last);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
