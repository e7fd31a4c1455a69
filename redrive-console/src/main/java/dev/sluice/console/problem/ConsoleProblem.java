package dev.sluice.console.problem;

import io.vertx.core.json.JsonObject;

/** Every kind of problem the console answers with, defined once: slug, status and title. */
public enum ConsoleProblem {
  BAD_PARAMETER("bad-parameter", 400, "Bad parameter"),
  BAD_FIELD("bad-field", 400, "Bad field in the request body"),
  MALFORMED_BODY("malformed-body", 400, "Malformed request body"),
  UNAUTHENTICATED("unauthenticated", 401, "Authentication required"),
  FORBIDDEN("forbidden", 403, "Not allowed for this role"),
  CSRF_TOKEN_INVALID("csrf-token-invalid", 403, "Missing or wrong CSRF token"),
  ITEM_NOT_FOUND("item-not-found", 404, "Quarantine item not found"),
  JOB_NOT_FOUND("job-not-found", 404, "Redrive job not found"),
  NOT_FOUND("not-found", 404, "Not found"),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
  REDRIVE_CONFLICT("redrive-conflict", 409, "Item cannot be redriven"),
  DISCARD_CONFLICT("discard-conflict", 409, "Item cannot be discarded"),
  REQUEUE_CONFLICT("requeue-conflict", 409, "Item cannot be requeued behind"),
  JOB_STATE_CONFLICT("job-state-conflict", 409, "Job cannot do this now"),
  BODY_TOO_LARGE("body-too-large", 413, "Request body too large"),
  RECORD_TOO_LARGE("record-too-large", 413, "Record too large"),
  INVALID_DATA("invalid-data", 422, "Replacement data breaks the schema"),
  NOT_A_CLOUDEVENT("not-a-cloudevent", 422, "Item is not a CloudEvent"),
  UNKNOWN_TYPE("unknown-type", 422, "Unknown event type"),
  SIGN_IN_THROTTLED("sign-in-throttled", 429, "Too many sign-in attempts"),
  INTERNAL_ERROR("internal-error", 500, "Internal error"),
  ENGINE_UNAVAILABLE("engine-unavailable", 503, "Backing engine unavailable");

  private final ProblemType type;

  ConsoleProblem(String slug, int status, String title) {
    this.type = new ProblemType(slug, status, title);
  }

  public ProblemType type() {
    return type;
  }

  /** An occurrence of this kind of problem. */
  public Problem problem(String detail) {
    return type.problem(detail);
  }

  /** An occurrence with extra members. */
  public Problem problem(String detail, JsonObject members) {
    return type.problem(detail, members);
  }
}
