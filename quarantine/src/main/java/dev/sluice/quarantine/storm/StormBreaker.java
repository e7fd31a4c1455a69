package dev.sluice.quarantine.storm;

/**
 * When one way of failing floods a partition, the wrapper stops writing an item per failed record and pauses the
 * partition until an operator acts (a <em>storm</em>): among the partition's last {@code window} records judged, more
 * than {@code share} of them failed with one fingerprint ({@code dev.sluice.quarantine.find.Fingerprint}: event type,
 * reason, and first failing JSON pointer or exception class), and at least {@code minFailures} did.
 *
 * <p>A record is judged when it is handled, or when it fails on its first delivery from Kafka and would become a
 * QUARANTINED or RETRYING item (poison, a handler rejection, in-place retries used up). Parked records, records of a
 * replay passed over, and retries and redrives of existing items are not judged.
 *
 * @param enabled off: every failure is diverted one by one, whatever the share
 * @param share the share of the window above which one fingerprint trips the breaker, in (0, 1]
 * @param window how many of the partition's latest judged records the share is taken over, at least 1
 * @param minFailures how many records of the window must have failed with the fingerprint, 1 to {@code window}; the
 *     breaker trips at once when they are the share of fewer records judged so far (after a start or a resume)
 */
public record StormBreaker(boolean enabled, double share, int window, int minFailures) {
  public static final double DEFAULT_SHARE = 0.5;
  public static final int DEFAULT_WINDOW = 200;
  public static final int DEFAULT_MIN_FAILURES = 50;
  /** A window longer than this holds more than the records a partition worker may take at once many times over. */
  public static final int MAX_WINDOW = 100_000;

  public StormBreaker {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("storm share must be in (0, 1], was " + share);
    }
    if (window < 1 || window > MAX_WINDOW) {
      throw new IllegalArgumentException("storm window must be 1.." + MAX_WINDOW + " records, was " + window);
    }
    if (minFailures < 1 || minFailures > window) {
      throw new IllegalArgumentException("storm minimum of failures must be 1.." + window + " (the window), was "
          + minFailures);
    }
  }

  /** On, with the defaults: more than half of the last 200 records, and at least 50 of them. */
  public static StormBreaker defaults() {
    return new StormBreaker(true, DEFAULT_SHARE, DEFAULT_WINDOW, DEFAULT_MIN_FAILURES);
  }

  /** Off: every failure becomes an item of its own, as many as there are. */
  public static StormBreaker off() {
    return new StormBreaker(false, DEFAULT_SHARE, DEFAULT_WINDOW, DEFAULT_MIN_FAILURES);
  }

  /** Whether {@code failures} of one fingerprint among {@code judged} records trip the breaker. */
  public boolean trips(int failures, int judged) {
    return enabled && failures >= minFailures && failures > share * judged;
  }
}
