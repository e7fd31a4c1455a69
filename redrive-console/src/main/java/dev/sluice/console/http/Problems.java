package dev.sluice.console.http;

import dev.sluice.console.http.ConsoleError.BadBody;
import dev.sluice.console.http.ConsoleError.BadField;
import dev.sluice.console.http.ConsoleError.BadParameter;
import dev.sluice.console.http.ConsoleError.BodyTooLarge;
import dev.sluice.console.http.ConsoleError.CsrfRejected;
import dev.sluice.console.http.ConsoleError.Forbidden;
import dev.sluice.console.http.ConsoleError.Unauthenticated;
import dev.sluice.console.http.ConsoleError.EventRefused;
import dev.sluice.console.http.ConsoleError.InvalidData;
import dev.sluice.console.http.ConsoleError.ItemNotFound;
import dev.sluice.console.http.ConsoleError.JobConflict;
import dev.sluice.console.http.ConsoleError.JobNotFound;
import dev.sluice.console.http.ConsoleError.MethodNotAllowed;
import dev.sluice.console.http.ConsoleError.NoEventType;
import dev.sluice.console.http.ConsoleError.NotDiscardable;
import dev.sluice.console.http.ConsoleError.NotRedrivable;
import dev.sluice.console.http.ConsoleError.RecordTooLarge;
import dev.sluice.console.http.ConsoleError.RouteNotFound;
import dev.sluice.console.http.ConsoleError.Unavailable;
import dev.sluice.console.http.ConsoleError.UnknownEventType;
import dev.sluice.ingest.Rejection;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.StoreException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place where errors become problem+json (RFC 9457). Errors are matched by type, never by message text.
 *
 * <p>Only an unreachable engine answers 5xx as 503; anything unforeseen is a bug and answers 500 (and is logged).
 */
public final class Problems {
  private static final System.Logger LOG = System.getLogger(Problems.class.getName());

  /** What a 503 asks the client to wait before retrying. */
  public static final int RETRY_AFTER_SECONDS = 5;
  /** The member of a 429 problem that says, in seconds, what its {@code Retry-After} header says. */
  static final String RETRY_AFTER_MEMBER = "retryAfter";

  private Problems() {}

  /** The problem for any failure a handler's Future may end with. */
  public static Problem of(Throwable failure) {
    if (failure instanceof ConsoleFailure f) {
      return of(f.error());
    }
    if (failure instanceof StoreException.NotFound) {
      return itemNotFound("no quarantine item has this id");
    }
    if (failure instanceof StoreException.StatusConflict c) {
      return conflict("the item", c.actual());
    }
    if (failure instanceof RedriveQueue.NoQueueForGroup) {
      // The group never ran, so no consumer could take the redrive: the operator can retry once it has started.
      return of(new Unavailable(failure.getMessage()));
    }
    if (failure instanceof SdkException || failure instanceof TimeoutException) {
      return of(new Unavailable("the quarantine store or the redrive queue did not answer: retry later"));
    }
    LOG.log(System.Logger.Level.ERROR, "unexpected failure in the redrive console", failure);
    return new Problem("internal-error", "Internal error", 500, "the console failed unexpectedly; see its log");
  }

  public static Problem of(ConsoleError error) {
    if (error instanceof BadParameter p) {
      return new Problem("bad-parameter", "Bad parameter", 400,
          "parameter '" + p.name() + "': " + p.reason(), new JsonObject().put("parameter", p.name()));
    }
    if (error instanceof BadField f) {
      return new Problem("bad-field", "Bad field in the request body", 400,
          "'" + f.pointer() + "': " + f.reason(), new JsonObject().put("pointer", f.pointer()));
    }
    if (error instanceof BadBody b) {
      return new Problem("malformed-body", "Malformed request body", 400, b.reason());
    }
    if (error instanceof BodyTooLarge t) {
      return new Problem("body-too-large", "Request body too large", 413,
          "the body exceeds " + t.limitBytes() + " bytes");
    }
    if (error instanceof ItemNotFound n) {
      return itemNotFound("no quarantine item has id " + n.id());
    }
    if (error instanceof RouteNotFound r) {
      return new Problem("not-found", "Not found", 404, "nothing is served at " + r.path());
    }
    if (error instanceof MethodNotAllowed m) {
      return new Problem("method-not-allowed", "Method not allowed", 405,
          m.method() + " is not allowed on " + m.path());
    }
    if (error instanceof NotRedrivable c) {
      return conflict("item " + c.id(), c.actual());
    }
    if (error instanceof NotDiscardable c) {
      return new Problem("discard-conflict", "Item cannot be discarded", 409,
          "item " + c.id() + " is " + c.actual() + "; only a QUARANTINED, RETRYING or PARKED item can be discarded",
          new JsonObject().put("currentStatus", c.actual().name()));
    }
    if (error instanceof ConsoleError.NotRequeueable r) {
      return new Problem("requeue-conflict", "Item cannot be requeued behind", 409,
          "item " + r.id() + ": " + r.why());
    }
    if (error instanceof InvalidData d) {
      return new Problem("invalid-data", "Replacement data breaks the schema", 422,
          d.violations().size() + " schema violation(s) in the replacement data",
          new JsonObject().put("violations", ItemJson.violations(d.violations())));
    }
    if (error instanceof NoEventType n) {
      return new Problem("not-a-cloudevent", "Item is not a CloudEvent", 422,
          "item " + n.id() + " has no event type, so replacement data cannot be validated; redrive it without data");
    }
    if (error instanceof UnknownEventType u) {
      return new Problem("unknown-type", "Unknown event type", 422,
          "no schema is registered for type " + u.type() + ", so replacement data cannot be validated");
    }
    if (error instanceof EventRefused r) {
      return refused(r.refusal());
    }
    if (error instanceof RecordTooLarge t) {
      return new Problem("record-too-large", "Record too large", 413, t.detail());
    }
    if (error instanceof Unavailable u) {
      return new Problem("engine-unavailable", "Backing engine unavailable", 503, u.detail());
    }
    if (error instanceof Unauthenticated u) {
      return new Problem("unauthenticated", "Authentication required", 401, u.detail());
    }
    if (error instanceof Forbidden f) {
      return new Problem("forbidden", "Not allowed for this role", 403,
          f.principal() + " is a " + f.role() + ", who may not " + f.action(),
          new JsonObject().put("role", f.role()));
    }
    if (error instanceof CsrfRejected c) {
      return new Problem("csrf-token-invalid", "Missing or wrong CSRF token", 403, c.detail());
    }
    if (error instanceof ConsoleError.SignInThrottled t) {
      return new Problem("sign-in-throttled", "Too many sign-in attempts", 429,
          "too many sign-in attempts for this user name or from this address; try again in "
              + t.retryAfterSeconds() + " s",
          new JsonObject().put(RETRY_AFTER_MEMBER, t.retryAfterSeconds()));
    }
    if (error instanceof JobNotFound j) {
      return new Problem("job-not-found", "Redrive job not found", 404, "no redrive job has id " + j.id());
    }
    if (error instanceof JobConflict j) {
      return new Problem("job-state-conflict", "Job cannot do this now", 409,
          "job " + j.id() + " is " + j.state() + " and cannot " + j.action(),
          new JsonObject().put("currentState", j.state()));
    }
    throw new IllegalStateException("unmapped console error " + error);
  }

  /**
   * A redriven ingress reject that ingest would refuse: 422 (the redrive request is understood; the event it would
   * append is what is refused), with the ingest contract's problem type, detail and members for the same refusal, and
   * always its violations (pointers rooted at the event), for the page to show next to the data.
   */
  static Problem refused(Rejection refusal) {
    JsonObject ext = refusal.members().put("violations", ItemJson.violations(refusal.violations()));
    return new Problem(refusal.problem().slug(), refusal.problem().title(), 422, refusal.detail(), ext);
  }

  /**
   * Renders a problem on the response (unless something was already sent). A 503 always means "try again later", so
   * it says when ({@value #RETRY_AFTER_SECONDS} s).
   */
  public static void send(RoutingContext ctx, Problem problem) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten() || response.closed()) {
      return;
    }
    if (problem.status() == 503) {
      response.putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    }
    if (problem.status() == 429 && problem.extensions().containsKey(RETRY_AFTER_MEMBER)) {
      response.putHeader("Retry-After", problem.extensions().getValue(RETRY_AFTER_MEMBER).toString());
    }
    if (problem.status() == 401) {
      // RFC 6750: tell the client which scheme to use.
      response.putHeader("WWW-Authenticate", "Bearer realm=\"sluice-console\"");
    }
    response.setStatusCode(problem.status())
        .putHeader("Content-Type", Problem.CONTENT_TYPE)
        .end(problem.toJson(ctx.request().path()).encode());
  }

  public static void send(RoutingContext ctx, Throwable failure) {
    send(ctx, of(failure));
  }

  public static void send(RoutingContext ctx, ConsoleError error) {
    send(ctx, of(error));
  }

  private static Problem itemNotFound(String detail) {
    return new Problem("item-not-found", "Quarantine item not found", 404, detail);
  }

  private static Problem conflict(String subject, QuarantineStatus actual) {
    return new Problem("redrive-conflict", "Item cannot be redriven", 409,
        subject + " is " + actual + "; only a " + QuarantineStatus.QUARANTINED + " item can be redriven",
        new JsonObject().put("currentStatus", actual.name()));
  }
}
