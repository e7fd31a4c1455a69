package dev.sluice.quarantine.groups;

/**
 * What one instance finished of one stream's records during one heartbeat window: how many its handler accepted and
 * how many it diverted to the quarantine (durably recorded as QUARANTINED), and how long the window was. Counts are
 * per window, not totals: an instance's counters start at 0 when its process starts, and its id is new then, so a
 * window never spans a restart.
 *
 * @param handled records the handler accepted in the window (first deliveries, delayed retries and redrives alike)
 * @param quarantined records diverted to the quarantine in the window
 * @param windowSeconds the window's length: the time between the counts taken for this heartbeat and the previous
 *     one's; finite and above 0
 */
public record StreamOutcomes(long handled, long quarantined, double windowSeconds) {
  public StreamOutcomes {
    if (handled < 0 || quarantined < 0) {
      throw new IllegalArgumentException("outcome counts are at least 0, were " + handled + " and " + quarantined);
    }
    if (!Double.isFinite(windowSeconds) || windowSeconds <= 0) {
      throw new IllegalArgumentException("an outcome window is finite and above 0 s, was " + windowSeconds);
    }
  }

  /** Records quarantined per second of the window. */
  public double quarantinedPerSecond() {
    return quarantined / windowSeconds;
  }
}
