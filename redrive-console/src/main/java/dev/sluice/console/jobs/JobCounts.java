package dev.sluice.console.jobs;

/**
 * A job's progress.
 *
 * @param total item ids queued for the job so far (it grows while the job splits its filter into work items)
 * @param sent items moved QUARANTINED -> REDRIVEN by this job and handed to their group (or appended to their stream)
 * @param succeeded sent items seen RESOLVED since
 * @param failedAgain sent items seen quarantined again since (the consumer failed on the redriven event)
 * @param skipped items not redriven: no longer QUARANTINED when their turn came (another job or an operator moved them
 *     first), gone, or refused for good (e.g. ingest would refuse a redriven ingress reject)
 */
public record JobCounts(long total, long sent, long succeeded, long failedAgain, long skipped) {
  public static final JobCounts ZERO = new JobCounts(0, 0, 0, 0, 0);

  /** Work items done with: each is either sent or skipped. */
  public long processed() {
    return sent + skipped;
  }

  public JobCounts plus(JobCounts d) {
    return new JobCounts(total + d.total, sent + d.sent, succeeded + d.succeeded, failedAgain + d.failedAgain,
        skipped + d.skipped);
  }

  public boolean isZero() {
    return equals(ZERO);
  }
}
