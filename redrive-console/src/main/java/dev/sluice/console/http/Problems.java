package dev.sluice.console.http;

import dev.sluice.console.http.ConsoleError.BadBody;
import dev.sluice.console.http.ConsoleError.BadParameter;
import dev.sluice.console.http.ConsoleError.BodyTooLarge;
import dev.sluice.console.http.ConsoleError.InvalidData;
import dev.sluice.console.http.ConsoleError.ItemNotFound;
import dev.sluice.console.http.ConsoleError.MethodNotAllowed;
import dev.sluice.console.http.ConsoleError.NoEventType;
import dev.sluice.console.http.ConsoleError.NotRedrivable;
import dev.sluice.console.http.ConsoleError.RouteNotFound;
import dev.sluice.console.http.ConsoleError.Unavailable;
import dev.sluice.console.http.ConsoleError.UnknownEventType;
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
    if (error instanceof Unavailable u) {
      return new Problem("engine-unavailable", "Backing engine unavailable", 503, u.detail());
    }
    throw new IllegalStateException("unmapped console error " + error);
  }

  /** Renders a problem on the response (unless something was already sent). */
  public static void send(RoutingContext ctx, Problem problem) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten() || response.closed()) {
      return;
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
