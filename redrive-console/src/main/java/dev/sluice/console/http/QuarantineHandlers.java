package dev.sluice.console.http;

import static dev.sluice.console.problem.ConsoleFailure.failed;

import dev.sluice.console.audit.AuditLog;
import dev.sluice.console.audit.Audited;
import dev.sluice.console.audit.AuditRecord;
import dev.sluice.console.audit.AuditRecord.Actions;
import dev.sluice.console.auth.Principal;
import dev.sluice.console.auth.Redaction;
import dev.sluice.console.find.ItemIds;
import dev.sluice.console.json.DiscardBody;
import dev.sluice.console.json.ItemJson;
import dev.sluice.console.json.JsonReply;
import dev.sluice.console.json.RedriveBody;
import dev.sluice.console.metrics.RedriveMetrics;
import dev.sluice.console.metrics.RedriveMetrics.Outcome;
import dev.sluice.console.problem.ConsoleError.NotDiscardable;
import dev.sluice.console.problem.Problem;
import dev.sluice.console.problem.Problems;
import dev.sluice.console.redrive.RedriveService;
import dev.sluice.console.seal.SealedView;
import dev.sluice.console.redrive.Redriven;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.quarantine.store.StoreException;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The JSON API's handlers: read the request, call the store or the redrive flow, write the answer. Every call returns
 * a Future that completes on this event loop; nothing here blocks.
 */
public final class QuarantineHandlers {
  /**
   * Reads are safe to abandon, so they get a deadline: a store that hangs must not hang the page. Redrives get none:
   * answering before the conditional write settles would tell the operator something that may not be true.
   */
  static final long READ_TIMEOUT_SECONDS = 10;


  private final QuarantineStore store;
  private final RedriveService redrives;
  private final RedriveMetrics metrics;
  private final AuditLog audit;
  private final SealedView view;

  public QuarantineHandlers(QuarantineStore store, RedriveService redrives, RedriveMetrics metrics, AuditLog audit,
      SealedView view) {
    this.store = Objects.requireNonNull(store, "store");
    this.view = Objects.requireNonNull(view, "view");
    this.redrives = Objects.requireNonNull(redrives, "redrives");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /** {@code GET /api/v1/quarantine/:id}. */
  public void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ItemIds.existing(store, id)
        .timeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        // A viewer sees the fields the schema marks sensitive masked, or the payload hidden when they cannot be told;
        // a role that may see them gets the sealed ones opened.
        .compose(item -> Redaction.of(ctx).masks()
            ? Future.succeededFuture(Redaction.of(ctx).item(item, ItemJson.detail(item)))
            : view.open(item, ItemJson.detail(item)))
        .onSuccess(detail -> JsonReply.send(ctx, 200, detail))
        .onFailure(failure -> Problems.send(ctx, failure));
  }

  /**
   * {@code POST /api/v1/quarantine/:id/redrive}, with an optional {@code {"data": ...}} body. 202 with the item's
   * summary; for an ingress reject, which is appended to its stream, also {@code appendedTo}.
   */
  public void redrive(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Future.succeededFuture()
        .compose(v -> {
          String checked = ItemIds.checked(id);
          Optional<String> data = RedriveBody.replacementData(ctx.body().buffer());
          String actor = operator(ctx);
          return redrives.redrive(checked, data, actor)
              .compose(redriven -> audited(redriven, auditRedrive(redriven, data, actor)));
        })
        .onSuccess(redriven -> {
          metrics.record(Outcome.ACCEPTED);
          JsonReply.send(ctx, 202, ItemJson.redriven(redriven));
        })
        .onFailure(failure -> {
          Problem problem = Problems.of(failure);
          metrics.record(Outcome.ofStatus(problem.status()));
          Problems.send(ctx, problem);
        });
  }

  /**
   * {@code POST /api/v1/quarantine/:id/discard} with {@code {"reason": "..."}} (mandatory): QUARANTINED, RETRYING or
   * PARKED -> DISCARDED, one conditional write; 409 when the item is settled or being redriven. A discarded head no
   * longer holds its key: the owning consumer learns it on its next lane refresh and releases the items parked behind.
   */
  public void discard(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Future.succeededFuture()
        .compose(v -> {
          String checked = ItemIds.checked(id);
          String reason = DiscardBody.reason(ctx.body().buffer());
          String actor = operator(ctx);
          return store.operator().discard(checked, reason, actor)
              .recover(failure -> failure instanceof StoreException.StatusConflict c
                  ? failed(new NotDiscardable(checked, c.actual()))
                  : Future.failedFuture(failure))
              .compose(item -> audited(item, audit.record(actor, Actions.DISCARD, List.of(checked), reason,
                  Optional.empty(), Optional.empty(), Optional.empty())));
        })
        .onSuccess(item -> JsonReply.send(ctx, 200, ItemJson.summary(item)))
        .onFailure(failure -> Problems.send(ctx, failure));
  }

  private Future<AuditRecord> auditRedrive(Redriven redriven, Optional<String> data, String actor) {
    QuarantineItem item = redriven.item();
    Optional<String> position = redriven.appendedTo().map(at -> at.topic() + "-" + at.partition() + "@" + at.offset());
    String where = position.map(p -> "appended to " + p).orElse("queued for group " + item.group());
    return audit.record(actor, data.isPresent() ? Actions.REDRIVE_EDITED : Actions.REDRIVE, List.of(item.id()),
        // The edit as stored (its marked values sealed), never as the operator typed it.
        where, data.isPresent() ? ItemJson.originalData(item) : Optional.empty(),
        data.isPresent() ? item.editedData() : Optional.empty(), position);
  }

  private static <T> Future<T> audited(T result, Future<AuditRecord> entry) {
    return Audited.result(result, entry, "an operator action succeeded");
  }

  /** The redrive route's failure handler: the body handler fails the request with 413 when the body is too big. */
  public void redriveFailure(RoutingContext ctx, long bodyLimit) {
    Problem problem = Problems.ofBodyFailure(ctx, bodyLimit);
    metrics.record(Outcome.ofStatus(problem.status()));
    Problems.send(ctx, problem);
  }

  /** Who asked, for the audit trail: the signed-in user, or the bearer token's name (see {@link Principal}). */
  static String operator(RoutingContext ctx) {
    return Principal.of(ctx).name();
  }
}
