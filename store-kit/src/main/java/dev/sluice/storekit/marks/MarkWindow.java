package dev.sluice.storekit.marks;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * How long a mark lasts, and the clock it is judged by (injected, so tests move time by hand; a {@code Clock} is one).
 *
 * @param length positive
 */
public record MarkWindow(Duration length, InstantSource clock) {
  public MarkWindow {
    Objects.requireNonNull(length, "length");
    Objects.requireNonNull(clock, "clock");
    if (length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException("the dedup window must be positive, was " + length);
    }
  }

  public static MarkWindow of(Duration length, InstantSource clock) {
    return new MarkWindow(length, clock);
  }
}
