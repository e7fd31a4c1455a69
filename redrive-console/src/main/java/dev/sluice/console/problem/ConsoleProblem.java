package dev.sluice.console.problem;

import dev.sluice.ingest.problem.ProblemType;
import io.vertx.core.json.JsonObject;

/**
 * Every kind of problem the console answers with, defined once: its slug (the constant's name), status and title. A
 * redriven ingress reject is answered with the ingest contract's own types ({@code IngestProblem}), and a record too
 * large for Kafka with ingest's {@code RECORD_TOO_LARGE}: the same URI always means the same thing.
 */
public enum ConsoleProblem implements ProblemType {
  BAD_PARAMETER(400, "Bad parameter"),
  BAD_FIELD(400, "Bad field in the request body"),
  MALFORMED_BODY(400, "Malformed request body"),
  UNAUTHENTICATED(401, "Authentication required"),
  FORBIDDEN(403, "Not allowed for this role"),
  CSRF_TOKEN_INVALID(403, "Missing or wrong CSRF token"),
  ITEM_NOT_FOUND(404, "Quarantine item not found"),
  JOB_NOT_FOUND(404, "Redrive job not found"),
  STREAM_NOT_FOUND(404, "Stream not found"),
  REPLAY_NOT_FOUND(404, "Replay not found"),
  STORM_NOT_FOUND(404, "Storm not found"),
  NOT_FOUND(404, "Not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  REDRIVE_CONFLICT(409, "Item cannot be redriven"),
  DISCARD_CONFLICT(409, "Item cannot be discarded"),
  REQUEUE_CONFLICT(409, "Item cannot be requeued behind"),
  PAYLOAD_NOT_STORED(409, "Item's payload is kept in Kafka, not in the store"),
  PAYLOAD_MISMATCH(409, "Item's Kafka record is not the one quarantined"),
  JOB_STATE_CONFLICT(409, "Job cannot do this now"),
  GROUP_NOT_NEW(409, "Consumer group is not new"),
  REPLAY_CONFLICT(409, "Group already has an active replay"),
  REPLAY_STATE_CONFLICT(409, "Replay cannot do this now"),
  GROUP_NOT_RUNNING(409, "Consumer group is not running"),
  STORM_STATE_CONFLICT(409, "Storm cannot do this now"),
  PAYLOAD_GONE(410, "Item's payload is gone from Kafka"),
  BODY_TOO_LARGE(413, "Request body too large"),
  INVALID_DATA(422, "Replacement data breaks the schema"),
  NO_EVENT_TYPE(422, "Item has no event type"),
  UNKNOWN_TYPE(422, "Unknown event type"),
  BEFORE_RETENTION(422, "Time before the earliest retained event"),
  UNKNOWN_PARTITION(422, "No such partition"),
  OFFSET_OUT_OF_RANGE(422, "Offset outside the log"),
  SIGN_IN_THROTTLED(429, "Too many sign-in attempts"),
  INTERNAL_ERROR(500, "Internal error"),
  ENGINE_UNAVAILABLE(503, "Backing engine unavailable");

  private final Spec spec;

  ConsoleProblem(int status, String title) {
    this.spec = new Spec(status, title);
  }

  @Override
  public Spec spec() {
    return spec;
  }

  /** An occurrence of this kind of problem. */
  public Problem problem(String detail) {
    return Problem.of(this, detail, new JsonObject());
  }

  /** An occurrence with extra members. */
  public Problem problem(String detail, JsonObject members) {
    return Problem.of(this, detail, members);
  }
}
