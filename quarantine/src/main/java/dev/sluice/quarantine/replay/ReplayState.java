package dev.sluice.quarantine.replay;

/**
 * Where a replay stands. RUNNING is the only live state: its group's events below the captured end offsets are
 * flagged as replayed. DONE (the group passed every captured end) and CANCELLED (an operator stopped it) are final,
 * and from then on the group is an ordinary live consumer.
 */
public enum ReplayState {
  RUNNING, DONE, CANCELLED;

  public boolean isFinal() {
    return this != RUNNING;
  }
}
