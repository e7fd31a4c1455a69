package dev.sluice.gateway.confluent;

import java.util.Map;
import java.util.Objects;

/**
 * Why a request to the Confluent-compatible API did not succeed, in Confluent Schema Registry's terms: an HTTP status,
 * Confluent's {@code error_code} (the status followed by a two-digit reason, e.g. 40401) and a message. Answered as
 * {@code {"error_code": ..., "message": ...}} by {@link ConfluentReply}, never as problem+json: Confluent's clients
 * read {@code error_code} to tell a missing subject from a missing version or schema.
 *
 * @param headers extra response headers ({@code WWW-Authenticate}, {@code Retry-After})
 */
public record ConfluentError(int status, int code, String message, Map<String, String> headers) {
  /** Confluent's codes that this API answers with. */
  public static final int SUBJECT_NOT_FOUND = 40401;
  public static final int VERSION_NOT_FOUND = 40402;
  public static final int SCHEMA_NOT_FOUND = 40403;
  public static final int INVALID_SCHEMA = 42201;
  public static final int INVALID_VERSION = 42202;
  public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
  public static final int INCOMPATIBLE = 409;
  public static final int UNAUTHORIZED = 40101;
  public static final int FORBIDDEN = 40301;
  public static final int RATE_LIMITED = 42901;
  public static final int STORE_ERROR = 50001;
  public static final int OPERATION_TIMEOUT = 50002;

  public ConfluentError {
    Objects.requireNonNull(message, "message");
    headers = Map.copyOf(headers);
  }

  ConfluentError(int status, int code, String message) {
    this(status, code, message, Map.of());
  }

  public static ConfluentError subjectNotFound(String subject, String why) {
    return new ConfluentError(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found." + why);
  }

  public static ConfluentError versionNotFound(String subject, String version) {
    return new ConfluentError(404, VERSION_NOT_FOUND, "Version " + version + " not found for subject '" + subject
        + "'.");
  }

  public static ConfluentError schemaNotFound(String what) {
    return new ConfluentError(404, SCHEMA_NOT_FOUND, "Schema not found: " + what);
  }

  public static ConfluentError invalidSchema(String why) {
    return new ConfluentError(422, INVALID_SCHEMA, "Invalid schema: " + why);
  }

  public static ConfluentError invalidVersion(String version) {
    return new ConfluentError(422, INVALID_VERSION, "The specified version '" + version + "' is not a valid version "
        + "id. Allowed values are between [1, 2^31-1], -1 and the string \"latest\"");
  }

  public static ConfluentError invalidCompatibilityLevel(String why) {
    return new ConfluentError(422, INVALID_COMPATIBILITY_LEVEL, "Invalid compatibility level: " + why);
  }

  public static ConfluentError incompatible(String why) {
    return new ConfluentError(409, INCOMPATIBLE, "Schema being registered is incompatible with an earlier schema; "
        + why);
  }

  /** The registry log did not confirm a write in time; the same request may be sent again. */
  public static ConfluentError timeout(String why) {
    return new ConfluentError(500, OPERATION_TIMEOUT, "The registry change could not be confirmed in time; it may or "
        + "may not have been applied, and retrying the same request is safe (" + why + ")");
  }

  /**
   * The registry protects declared reads and the live consumer groups could not be read: nothing was registered (a
   * retryable 503, with when to retry; Confluent's code for a backend store error).
   */
  public static ConfluentError readsUnavailable(String why) {
    return new ConfluentError(503, STORE_ERROR, "This registry protects declared reads, and " + why + "; nothing was "
        + "registered, and retrying the same request is safe", Map.of("Retry-After", "5"));
  }

  /** The schema breaks fields live consumer groups declared they read, and the registry protects them (409). */
  public static ConfluentError declaredReadsBroken(String why) {
    return new ConfluentError(409, INCOMPATIBLE, "Schema being registered breaks fields that live consumer groups "
        + "declared they read, and this registry protects declared reads; " + why);
  }

  /** A fault of the request itself, with its HTTP status as code (as Confluent answers 400, 404, 413, 415...). */
  public static ConfluentError http(int status, String message) {
    return new ConfluentError(status, status, message);
  }
}
