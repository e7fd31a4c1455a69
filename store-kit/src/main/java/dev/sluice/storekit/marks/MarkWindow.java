package dev.sluice.storekit.marks;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a mark lasts, and the clock it is judged by (injected, so tests move time by hand).
 *
 * @param length positive
 */
public record MarkWindow(Duration length, Clock clock) {
  public MarkWindow {
    Objects.requireNonNull(length, "length");
    Objects.requireNonNull(clock, "clock");
    if (length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException("the dedup window must be positive, was " + length);
    }
  }

  public static MarkWindow of(Duration length, Clock clock) {
    return new MarkWindow(length, clock);
  }
}
