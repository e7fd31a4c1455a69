package dev.sluice.quarantine.storm;

/**
 * Where a storm stands. TRIPPED: the partition is paused until an operator acts. RESUMED: the operator let the
 * partition go on; the breaker watches the fingerprint again, with a fresh window, and trips again if the failures go
 * on. QUARANTINE_ALL: the operator chose to quarantine the fingerprint's records one by one on that partition, as
 * without a breaker; the breaker leaves that fingerprint alone there until the storm is resumed.
 */
public enum StormState {
  TRIPPED, RESUMED, QUARANTINE_ALL;

  /** Whether the storm keeps its partition paused. */
  public boolean holds() {
    return this == TRIPPED;
  }
}
