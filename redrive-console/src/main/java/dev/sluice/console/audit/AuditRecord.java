package dev.sluice.console.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One operator action, as the audit table keeps it.
 *
 * @param id unique per entry (a random UUID)
 * @param actor who acted: the signed-in user or the bearer token's name ({@code Principal})
 * @param action what was done, e.g. {@link Actions#REDRIVE}
 * @param itemIds the quarantine items acted on (empty for an action on no item, e.g. a job control)
 * @param detail free text: the discard reason, where a redrive was appended, a job's id
 * @param before for an edit: the event's data before it (compact JSON)
 * @param after for an edit: the data sent instead
 * @param position where a redrive appended the event, {@code topic-partition@offset} (ingress rejects, which have
 *     no consumer group to go back to)
 */
public record AuditRecord(
    String id, Instant at, String actor, String action, List<String> itemIds, String detail,
    Optional<String> before, Optional<String> after, Optional<String> position) {
  public AuditRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    itemIds = List.copyOf(itemIds);
    detail = detail == null ? "" : detail;
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(position, "position");
  }

  /** The action names the console writes; later actions (patch, job control) add theirs here. */
  public static final class Actions {
    public static final String REDRIVE = "REDRIVE";
    public static final String REDRIVE_EDITED = "REDRIVE_EDITED";
    public static final String DISCARD = "DISCARD";
    /** Bulk redrive jobs: created (or dry-run), paused, resumed, cancelled by an operator; halted by the job. */
    public static final String JOB_CREATE = "JOB_CREATE";
    public static final String JOB_PAUSE = "JOB_PAUSE";
    public static final String JOB_RESUME = "JOB_RESUME";
    public static final String JOB_CANCEL = "JOB_CANCEL";
    public static final String JOB_HALT = "JOB_HALT";
    /** Replays: started (a cold start of a new group from history) and cancelled by an operator. */
    public static final String REPLAY_START = "REPLAY_START";
    public static final String REPLAY_CANCEL = "REPLAY_CANCEL";
    /** Replays: paused and resumed by an operator (a halted one is resumed as a paused one). */
    public static final String REPLAY_PAUSE = "REPLAY_PAUSE";
    public static final String REPLAY_RESUME = "REPLAY_RESUME";
    /**
     * Storms: resumed by an operator (the partition goes on and the breaker re-arms), or left to quarantine the
     * storm's records one by one.
     */
    public static final String STORM_RESUME = "STORM_RESUME";
    public static final String STORM_QUARANTINE_ALL = "STORM_QUARANTINE_ALL";
    /** An admin forgot a data subject: its key is deleted, its sealed values read as erased. */
    public static final String FORGET_SUBJECT = "FORGET_SUBJECT";

    private Actions() {}
  }
}
