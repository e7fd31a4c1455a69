package dev.sluice.console.jobs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A bulk redrive job as stored in the jobs table.
 *
 * @param filter the job's filter as the client gave it (the same names as the list's query parameters), with
 *     {@code status} set to QUARANTINED
 * @param maxItems the most items the job may take: the operator bulk limit for an operator's job, unbounded for an
 *     admin's (a filter count can be a lower bound, so splitting enforces the limit as well)
 * @param splitCursor where splitting the filter into work items continues (an encoded find cursor); empty at the start
 * @param splitDone whether every matching item has been queued
 * @param version bumped by every state change; a state change is a write conditional on it
 * @param detail why the job is in its state, when that says more than the state (e.g. why it halted)
 * @param lease which console instance runs the job, and until when unless it renews (none: no console runs it)
 * @param selection the item ids of a job over an operator's selection (empty: the job is over its filter)
 */
public record RedriveJob(
    String id, JobState state, JsonObject filter, int ratePerSecond, boolean dryRun, String createdBy,
    Instant createdAt, Instant updatedAt, JobCounts counts, long maxItems, Optional<String> splitCursor,
    boolean splitDone, long version, Optional<String> detail, Optional<Lease> lease, List<String> selection) {

  /** A console instance's claim to run a job: it alone drains and watches it while the claim lasts. */
  public record Lease(String owner, Instant until) {
    public Lease {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(until, "until");
    }
  }

  public RedriveJob {
    // Every component is required (Optional where it may be absent): List.of refuses a null one, at once.
    List.of(id, state, createdBy, createdAt, updatedAt, counts, splitCursor, detail, lease);
    filter = filter.copy();
    selection = List.copyOf(selection);
  }

  /**
   * This job's state and version with the progress (counts, split position) of {@code later}, a read of the same job
   * made after this one's progress: counters only grow, so the later read's are the fresher.
   */
  public RedriveJob withProgressOf(RedriveJob later) {
    return new RedriveJob(id, state, filter, ratePerSecond, dryRun, createdBy, createdAt, later.updatedAt,
        later.counts, maxItems, later.splitCursor, later.splitDone, version, detail, later.lease,
        selection);
  }

  /** Whether every work item is done with: all matching items queued, and each sent or skipped. */
  public boolean drained() {
    return splitDone && counts.processed() >= counts.total();
  }

  /**
   * The API's view: {@code {id, state, filter, ratePerSecond, dryRun, createdBy, createdAt, updatedAt, counts,
   * detail?, runBy?: {instance, until}, selection?: [item ids]}}.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("state", state.name())
        .put("filter", filter.copy())
        .put("ratePerSecond", ratePerSecond)
        .put("dryRun", dryRun)
        .put("createdBy", createdBy)
        .put("createdAt", createdAt.toString())
        .put("updatedAt", updatedAt.toString())
        .put("splitDone", splitDone)
        .put("counts", new JsonObject()
            .put("total", counts.total())
            .put("sent", counts.sent())
            .put("succeeded", counts.succeeded())
            .put("failedAgain", counts.failedAgain())
            .put("skipped", counts.skipped()));
    detail.ifPresent(d -> json.put("detail", d));
    if (!selection.isEmpty()) {
      json.put("selection", new JsonArray(selection));
    }
    lease.ifPresent(l -> json.put("runBy", new JsonObject().put("instance", l.owner()).put("until", l.until().toString())));
    return json;
  }
}
