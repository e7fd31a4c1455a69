package dev.sluice.loadtests.peers;

import java.util.Arrays;

/**
 * How long one partition stood still around a record: the time from handling the record before it to handling the
 * record after it, against the median gap between two records handled one after the other elsewhere in the run.
 *
 * @param stallMs from the handling of offset {@code at - 1} to that of {@code at + 1}
 * @param medianGapMs the median time between two consecutive offsets handled, the pair around {@code at} left out
 */
public record Stall(double stallMs, double medianGapMs) {

  /**
   * @param handledNanos when each offset was handled ({@link System#nanoTime()}), indexed by offset; 0 for an offset
   *     never handled (the one at {@code at}, which went to the quarantine)
   * @param at the offset of the record that stalled the partition
   * @throws IllegalArgumentException when {@code at} has no handled neighbour on both sides
   */
  public static Stall around(long[] handledNanos, int at) {
    if (at < 1 || at >= handledNanos.length - 1 || handledNanos[at - 1] == 0 || handledNanos[at + 1] == 0) {
      throw new IllegalArgumentException("offsets " + (at - 1) + " and " + (at + 1) + " must both be handled");
    }
    double stall = (handledNanos[at + 1] - handledNanos[at - 1]) / 1e6;
    double[] gaps = new double[handledNanos.length];
    int n = 0;
    for (int i = 1; i < handledNanos.length; i++) {
      if (i != at && i != at + 1 && handledNanos[i] != 0 && handledNanos[i - 1] != 0) {
        gaps[n++] = (handledNanos[i] - handledNanos[i - 1]) / 1e6;
      }
    }
    double[] sorted = Arrays.copyOf(gaps, n);
    Arrays.sort(sorted);
    return new Stall(stall, n == 0 ? Double.NaN : sorted[n / 2]);
  }

  /** How many median gaps the stall lasted. */
  public double gaps() {
    return medianGapMs > 0 ? stallMs / medianGapMs : Double.NaN;
  }
}
