package dev.sluice.console.problem;

import dev.sluice.console.problem.ConsoleError.BodyTooLarge;
import dev.sluice.console.problem.ConsoleError.NotRedrivable;
import dev.sluice.console.problem.ConsoleError.Unavailable;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.StoreException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place where the console's failures become problem+json (RFC 9457). A {@link ConsoleError} knows its own
 * problem; the few failures that come from outside the console (the quarantine store's, the engines', Kafka's) are
 * matched here by type, never by message text.
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
      return ConsoleProblem.ITEM_NOT_FOUND.problem("no quarantine item has this id");
    }
    if (failure instanceof StoreException.StatusConflict c) {
      return NotRedrivable.conflict("the item", c.actual());
    }
    if (failure instanceof RedriveQueue.NoQueueForGroup) {
      // The group never ran, so no consumer could take the redrive: the operator can retry once it has started.
      return of(new Unavailable(failure.getMessage()));
    }
    if (failure instanceof KafkaException) {
      return of(new Unavailable("Kafka did not answer: retry later"));
    }
    if (failure instanceof SdkException || failure instanceof TimeoutException) {
      return of(new Unavailable("the quarantine store or the redrive queue did not answer: retry later"));
    }
    LOG.log(System.Logger.Level.ERROR, "unexpected failure in the redrive console", failure);
    return ConsoleProblem.INTERNAL_ERROR.problem("the console failed unexpectedly; see its log");
  }

  public static Problem of(ConsoleError error) {
    return error.problem();
  }

  /**
   * The problem of a route whose body handler failed the request: 413 when the body was larger than
   * {@code limitBytes}, else whatever failed.
   */
  public static Problem ofBodyFailure(RoutingContext ctx, long limitBytes) {
    if (ctx.statusCode() == 413) {
      return of(new BodyTooLarge(limitBytes));
    }
    return of(ctx.failure() != null ? ctx.failure() : new IllegalStateException("status " + ctx.statusCode()));
  }

  /** The failure handler of a route that buffers a body of at most {@code limitBytes}. */
  public static Handler<RoutingContext> bodyFailure(long limitBytes) {
    return ctx -> send(ctx, ofBodyFailure(ctx, limitBytes));
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
}
