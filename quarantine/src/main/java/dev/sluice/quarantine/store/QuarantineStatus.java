package dev.sluice.quarantine.store;

/**
 * Where a quarantined event stands. {@code QUARANTINED -> REDRIVEN -> RESOLVED}, or back to {@code QUARANTINED} when
 * the redrive fails again. Every move is a conditional write on the previous status.
 */
public enum QuarantineStatus {
  QUARANTINED,
  REDRIVEN,
  RESOLVED
}
