package dev.sluice.gateway.problem;

import dev.sluice.ingest.problem.ProblemType;

/**
 * The gateway's own problem types, beyond the ingest contract's ({@code IngestProblem}): access, the registry API,
 * batches and routing. Defined once.
 */
public enum GatewayProblem implements ProblemType {
  // Access (401, 403, 429).
  MISSING_CREDENTIALS(401, "Missing credentials"),
  UNKNOWN_API_KEY(401, "Unknown API key"),
  STREAM_FORBIDDEN(403, "Stream not allowed for this key"),
  ADMIN_REQUIRED(403, "Admin key required"),
  RATE_LIMITED(429, "Too many requests"),
  // The registry API.
  UNKNOWN_TYPE(404, "Unknown event type"),
  UNKNOWN_VERSION(404, "Unknown schema version"),
  INVALID_VERSION(400, "Invalid schema version"),
  SCHEMA_REFUSED(422, "Schema refused"),
  INCOMPATIBLE_SCHEMA(409, "Incompatible schema"),
  DECLARED_READS_BROKEN(409, "Declared reads broken"),
  DECLARED_READS_UNAVAILABLE(503, "Declared reads unavailable"),
  INVALID_BODY(422, "Invalid request body"),
  STREAM_REFUSED(422, "Stream definition refused"),
  STREAM_CONFLICT(409, "Stream definition conflicts"),
  REGISTRY_UNAVAILABLE(503, "Registry unavailable"),
  // Batches and routing.
  BATCH_REJECTED(422, "Batch rejected"),
  NOT_FOUND(404, "Not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  INTERNAL_ERROR(500, "Internal error");

  private final Spec spec;

  GatewayProblem(int status, String title) {
    this.spec = new Spec(status, title);
  }

  @Override
  public Spec spec() {
    return spec;
  }
}
