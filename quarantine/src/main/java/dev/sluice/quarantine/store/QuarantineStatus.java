package dev.sluice.quarantine.store;

import java.util.Set;

/**
 * Where a diverted event stands. Every move is a conditional write on the previous status.
 *
 * <pre>
 *   RETRYING ----(delayed retry ok)---------------------------------> RESOLVED
 *      |  (exhausted, rejected)                                          ^
 *      v                                                                 |
 *   QUARANTINED --(operator)--> REDRIVEN --(handler ok)------------------+
 *      ^                            |
 *      +------(fails again)---------+
 *   PARKED --(its head settled; handled in order)--> RESOLVED, or becomes a head (RETRYING / QUARANTINED)
 *   QUARANTINED, RETRYING, PARKED --(operator)--> DISCARDED
 *   QUARANTINED, RETRYING, PARKED --(a rewind's pass handled the event)--> RESOLVED
 *   QUARANTINED, RETRYING, PARKED --(a rewind's pass made an item of its own of the event: SUPERSEDED)--> DISCARDED
 * </pre>
 *
 * <p>RESOLVED and DISCARDED are final: they never change again. The others are open, and under a key-ordered stream
 * an open item of key K holds back every later event of K for its group.
 */
public enum QuarantineStatus {
  QUARANTINED,
  REDRIVEN,
  RESOLVED,
  /** Waiting for a delayed, non-blocking retry from the group's retry queue. */
  RETRYING,
  /** Held back behind an open item with the same key (key-ordered streams); its handler has not run yet. */
  PARKED,
  /** An operator decided the event will never be handled. */
  DISCARDED;

  private static final Set<QuarantineStatus> FINAL = Set.of(RESOLVED, DISCARDED);

  /** Whether the item can still change (and, on a key-ordered stream, holds its key back). */
  public boolean isOpen() {
    return !FINAL.contains(this);
  }
}
