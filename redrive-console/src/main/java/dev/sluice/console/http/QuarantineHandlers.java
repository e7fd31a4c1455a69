package dev.sluice.console.http;

import dev.sluice.console.http.ConsoleError.BadParameter;
import dev.sluice.console.http.ConsoleError.BodyTooLarge;
import dev.sluice.console.http.ConsoleError.ItemNotFound;
import dev.sluice.console.metrics.RedriveMetrics;
import dev.sluice.console.metrics.RedriveMetrics.Outcome;
import dev.sluice.console.redrive.RedriveService;
import dev.sluice.quarantine.store.QuarantineStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The JSON API's handlers: read the request, call the store or the redrive flow, write the answer. Every call returns
 * a Future that completes on this event loop; nothing here blocks.
 */
public final class QuarantineHandlers {
  public static final String OPERATOR_HEADER = "X-Sluice-Operator";
  public static final String ANONYMOUS = "anonymous";
  static final String JSON = "application/json";
  /**
   * Reads are safe to abandon, so they get a deadline: a store that hangs must not hang the page. Redrives get none:
   * answering before the conditional write settles would tell the operator something that may not be true.
   */
  static final long READ_TIMEOUT_SECONDS = 10;
  private static final Pattern ITEM_ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
  private static final Pattern OPERATOR = Pattern.compile("[\\p{Print}&&[^\\p{Cntrl}]]{1,100}");

  private final QuarantineStore store;
  private final RedriveService redrives;
  private final RedriveMetrics metrics;

  public QuarantineHandlers(QuarantineStore store, RedriveService redrives, RedriveMetrics metrics) {
    this.store = Objects.requireNonNull(store, "store");
    this.redrives = Objects.requireNonNull(redrives, "redrives");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** {@code GET /api/v1/quarantine/:id}. */
  public void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Future.succeededFuture()
        .compose(v -> store.get(checkedId(id)))
        .timeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .compose(found -> found.map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(new ConsoleFailure(new ItemNotFound(id)))))
        .onSuccess(item -> json(ctx, 200, ItemJson.detail(item)))
        .onFailure(failure -> Problems.send(ctx, failure));
  }

  /**
   * {@code POST /api/v1/quarantine/:id/redrive}, with an optional {@code {"data": ...}} body. 202 with the item's
   * summary; for an ingress reject, which is appended to its stream, also {@code appendedTo}.
   */
  public void redrive(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Future.succeededFuture()
        .compose(v -> redrives.redrive(
            checkedId(id), RedriveBody.replacementData(ctx.body().buffer()), operator(ctx)))
        .onSuccess(redriven -> {
          metrics.record(Outcome.ACCEPTED);
          json(ctx, 202, ItemJson.redriven(redriven));
        })
        .onFailure(failure -> {
          Problem problem = Problems.of(failure);
          metrics.record(Outcome.ofStatus(problem.status()));
          Problems.send(ctx, problem);
        });
  }

  /** The redrive route's failure handler: the body handler fails the request with 413 when the body is too big. */
  public void redriveFailure(RoutingContext ctx, long bodyLimit) {
    Problem problem = ctx.statusCode() == 413
        ? Problems.of(new BodyTooLarge(bodyLimit))
        : Problems.of(ctx.failure() == null ? new IllegalStateException("status " + ctx.statusCode()) : ctx.failure());
    metrics.record(Outcome.ofStatus(problem.status()));
    Problems.send(ctx, problem);
  }

  /** Ids are UUIDs; anything unlike an id names no item, and is refused before it reaches the store. */
  static String checkedId(String id) {
    if (id == null || !ITEM_ID.matcher(id).matches()) {
      throw new ConsoleFailure(new ItemNotFound(id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "…" : id));
    }
    return id;
  }

  /** Who asked, for the audit trail. Not authentication: the console trusts whoever can reach it. */
  static String operator(RoutingContext ctx) {
    String raw = ctx.request().getHeader(OPERATOR_HEADER);
    if (raw == null || raw.isBlank()) {
      return ANONYMOUS;
    }
    String operator = raw.strip();
    if (!OPERATOR.matcher(operator).matches()) {
      throw new ConsoleFailure(new BadParameter(OPERATOR_HEADER, "1-100 printable characters"));
    }
    return operator;
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body.encode());
  }
}
