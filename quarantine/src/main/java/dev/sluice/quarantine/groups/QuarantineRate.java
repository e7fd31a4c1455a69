package dev.sluice.quarantine.groups;

import java.util.List;
import java.util.OptionalDouble;

/**
 * A group's quarantine rate on one stream, over its live instances' last heartbeat windows: the records they diverted
 * to the quarantine per second, and as a share of the records they finished (handled plus quarantined).
 *
 * <p>Each instance measures over its own window (they heartbeat at their own moments, roughly one interval apart), so
 * the group's rate is the sum of the instances' rates, not the summed counts over one window; the counts are summed
 * for the share. {@code windowSeconds} is the longest instance window: about the heartbeat interval.
 *
 * @param handled records the instances' handlers accepted in their windows
 * @param quarantined records they diverted to the quarantine in their windows
 * @param perSecond the sum of the instances' quarantined records per second
 * @param windowSeconds the longest of the instances' windows
 */
public record QuarantineRate(long handled, long quarantined, double perSecond, double windowSeconds) {
  /** The rate of the instances that reported outcomes for the stream; there must be at least one. */
  public static QuarantineRate of(List<StreamOutcomes> instances) {
    if (instances.isEmpty()) {
      throw new IllegalArgumentException("a quarantine rate needs at least one instance's outcomes");
    }
    long handled = 0;
    long quarantined = 0;
    double perSecond = 0;
    double window = 0;
    for (StreamOutcomes o : instances) {
      handled += o.handled();
      quarantined += o.quarantined();
      perSecond += o.quarantinedPerSecond();
      window = Math.max(window, o.windowSeconds());
    }
    return new QuarantineRate(handled, quarantined, perSecond, window);
  }

  /** Quarantined of the records finished, 0 to 1; empty when none was finished in the window. */
  public OptionalDouble share() {
    long finished = handled + quarantined;
    return finished == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) quarantined / finished);
  }
}
