package dev.sluice.quarantine.replay;

/**
 * Where a replay stands. RUNNING is the live state: its group's events below the captured end offsets are flagged as
 * replayed. PAUSED (an operator paused it) and HALTED (it quarantined too much of what it read) are active too, but
 * their group's instances hold the partitions still below their captured end: nothing of history is handled until it
 * runs again. DONE (the group passed every captured end) and CANCELLED (an operator stopped it) are final, and from
 * then on the group is an ordinary live consumer.
 */
public enum ReplayState {
  RUNNING, DONE, CANCELLED, PAUSED, HALTED;

  public boolean isFinal() {
    return this == DONE || this == CANCELLED;
  }

  /** Whether the group holds back the history still to replay (an operator's pause, or a halt). */
  public boolean holds() {
    return this == PAUSED || this == HALTED;
  }
}
