package dev.sluice.console.http;

import dev.sluice.ingest.Rejection;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.Violation;
import java.util.List;
import java.util.Objects;

/**
 * Why the console refuses a request, kept as a value. Handlers and the redrive flow produce these; {@link Problems}
 * alone turns them into problem+json.
 */
public sealed interface ConsoleError {

  /** A query parameter or header has a value the console cannot use. */
  record BadParameter(String name, String reason) implements ConsoleError {}

  /**
   * A member of a JSON body has a value the console cannot use; {@code pointer} is its JSON pointer in the body (e.g.
   * {@code /filter/status}).
   */
  record BadField(String pointer, String reason) implements ConsoleError {}

  /** The request body is not what the endpoint takes (not JSON, wrong shape). */
  record BadBody(String reason) implements ConsoleError {}

  /** The body is over the console's limit. */
  record BodyTooLarge(long limitBytes) implements ConsoleError {}

  /** No quarantine item has this id. */
  record ItemNotFound(String id) implements ConsoleError {}

  /** No route serves this path. */
  record RouteNotFound(String path) implements ConsoleError {}

  /** The path exists, but not for this method. */
  record MethodNotAllowed(String method, String path) implements ConsoleError {}

  /** The item is not QUARANTINED (someone redrove or resolved it first). */
  record NotRedrivable(String id, QuarantineStatus actual) implements ConsoleError {}

  /** The item is settled or being redriven: only QUARANTINED, RETRYING or PARKED items can be discarded. */
  record NotDiscardable(String id, QuarantineStatus actual) implements ConsoleError {}

  /**
   * A requeue-behind that cannot happen: the item is not a head with events parked behind it (no key, an ingress
   * reject, or nothing parked). Answered 409: the state of the lane, not the request, is what is wrong.
   */
  record NotRequeueable(String id, String why) implements ConsoleError {}

  /** The replacement data breaks the type's schema. Pointers are rooted at the event ({@code /data/...}). */
  record InvalidData(List<Violation> violations) implements ConsoleError {
    public InvalidData {
      violations = List.copyOf(violations);
    }
  }

  /** The item is not a CloudEvent (no type), so there is no schema to check replacement data against. */
  record NoEventType(String id) implements ConsoleError {}

  /** The item's type has no schema in this console's registry. */
  record UnknownEventType(String type) implements ConsoleError {}

  /**
   * A redriven ingress reject would be refused by ingest (it cannot be read, or breaks a rule of its stream): the
   * ingest contract's own rejection; nothing was written.
   */
  record EventRefused(Rejection refusal) implements ConsoleError {
    public EventRefused {
      Objects.requireNonNull(refusal, "refusal");
    }
  }

  /** The redriven event is larger than Kafka accepts; the item is QUARANTINED again. */
  record RecordTooLarge(String detail) implements ConsoleError {
    public RecordTooLarge {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** A backing engine did not answer; the request may be retried. */
  record Unavailable(String detail) implements ConsoleError {
    public Unavailable {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** The request carries no valid credentials (no session cookie, an unknown bearer token). Answered 401. */
  record Unauthenticated(String detail) implements ConsoleError {
    public Unauthenticated {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** The principal's role may not do this (a viewer's redrive). Answered 403. */
  record Forbidden(String principal, String role, String action) implements ConsoleError {}

  /** A state-changing request on a cookie session without the session's CSRF token (or a cross-site login). */
  record CsrfRejected(String detail) implements ConsoleError {
    public CsrfRejected {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Too many sign-in attempts for the user name or the client's address: refused without checking the password,
   * until {@code retryAfterSeconds} have passed. Answered 429 with {@code Retry-After}.
   */
  record SignInThrottled(long retryAfterSeconds) implements ConsoleError {}

  /** No bulk redrive job has this id. */
  record JobNotFound(String id) implements ConsoleError {}

  /** The job's state does not allow this control (e.g. resuming a DONE job). Answered 409. */
  record JobConflict(String id, String state, String action) implements ConsoleError {}
}
