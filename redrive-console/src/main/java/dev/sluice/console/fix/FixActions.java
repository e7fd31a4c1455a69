package dev.sluice.console.fix;

/**
 * Audit action names written by the fix endpoints (kept next to them rather than in {@code AuditRecord.Actions} so
 * that features added in parallel do not edit the same lines).
 */
public final class FixActions {
  /** One item of a group patch, redriven with the patched data; before/after hold the data. */
  public static final String PATCH = "PATCH";
  /** A head moved behind the items parked behind it; detail holds the operator's reason. */
  public static final String REQUEUE_BEHIND = "REQUEUE_BEHIND";

  private FixActions() {}
}
