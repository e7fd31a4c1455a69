package dev.sluice.gateway.http;

import dev.sluice.crypto.keys.KeyUnavailableException;
import dev.sluice.gateway.auth.ApiKey;
import dev.sluice.gateway.auth.AuthHandler;
import dev.sluice.gateway.dedup.DedupingAppender;
import dev.sluice.gateway.metrics.GatewayMetrics.IngestOutcome;
import dev.sluice.gateway.metrics.GatewayMetrics;
import dev.sluice.gateway.problem.Problems;
import dev.sluice.ingest.HttpEventRequest;
import dev.sluice.ingest.IngestProblem;
import dev.sluice.ingest.Outcome;
import dev.sluice.ingest.Rejection;
import dev.sluice.ingest.admit.EventAdmission.AdmittedEvent;
import dev.sluice.ingest.admit.EventAdmission.BatchAdmission;
import dev.sluice.ingest.admit.EventAdmission.BatchItemAdmission;
import dev.sluice.ingest.admit.EventAdmission;
import dev.sluice.ingest.admit.ValidationLane;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /v1/streams/{stream}/events} with {@code Content-Type: application/cloudevents-batch+json}: a JSON array
 * of structured-mode events, each admitted on its own.
 *
 * <ul>
 *   <li>All-or-nothing by default: if any event is rejected, nothing is appended and the answer is 422 with one result
 *       per event ({@code rejected} with violations, or {@code aborted} for the valid ones).
 *   <li>{@code ?partial=true}: the valid events are appended; 207 with every event's result, {@code partition} and
 *       {@code offset} for the accepted ones. (If no event is valid, nothing is appended: 422.)
 *   <li>Every event accepted: 202 with one result per event, in order.
 *   <li>The broker did not acknowledge some appends, or the key for some events' sensitive values was unavailable (so
 *       they were not appended): 503 with Retry-After and the per-event results ({@code failed} for those not
 *       stored, {@code accepted} with offsets for those that were). Resending the whole batch is safe because the
 *       gateway deduplicates by (source, id).
 * </ul>
 *
 * <p>Ordering. All appends of a batch are handed to the producer at once, in batch order, without waiting for each
 * other, then joined. The producer is idempotent and sends them in that order, so events of one partition key keep
 * their batch order in the partition; a 2xx is only sent once every accepted append was acknowledged (acks=all).
 */
public final class BatchIngestHandler implements Handler<RoutingContext> {
  public static final String PARTIAL = "partial";

  private static final System.Logger LOG = System.getLogger(BatchIngestHandler.class.getName());

  private final EventAdmission admission;
  private final ValidationLane lane;
  private final DedupingAppender appender;
  private final GatewayMetrics metrics;

  public BatchIngestHandler(
      EventAdmission admission, ValidationLane lane, DedupingAppender appender, GatewayMetrics metrics) {
    this.admission = Objects.requireNonNull(admission, "admission");
    this.lane = Objects.requireNonNull(lane, "lane");
    this.appender = Objects.requireNonNull(appender, "appender");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.put(IngestHandler.STARTED_AT, System.nanoTime());
    HttpServerRequest req = ctx.request();
    String stream = ctx.pathParam("stream");
    Outcome<Boolean> partial = partialParameter(req.getParam(PARTIAL));
    if (partial instanceof Outcome.Rejected<Boolean> r) {
      reject(ctx, admission.streamLabel(stream), r.rejection());
      return;
    }
    boolean appendValid = ((Outcome.Ok<Boolean>) partial).value();

    HttpEventRequest request = IngestHandler.eventRequest(ctx);
    // One allowance for the whole batch on the event loop; a costly batch is admitted again on the validation pool.
    lane.run(meters -> admission.admitBatch(stream, request, meters))
        .onSuccess(batch -> admitted(ctx, batch, appendValid))
        .onFailure(err -> {
          if (err instanceof ValidationLane.Busy) {
            reject(ctx, admission.streamLabel(stream), new Rejection.ValidationBusy());
          } else {
            ctx.fail(err);
          }
        });
  }

  private void admitted(RoutingContext ctx, BatchAdmission batch, boolean appendValid) {
    if (batch.items() instanceof Outcome.Rejected<List<BatchItemAdmission>> r) {
      reject(ctx, batch.streamLabel(), r.rejection());
      return;
    }
    List<BatchItemAdmission> items = ((Outcome.Ok<List<BatchItemAdmission>>) batch.items()).value();
    String streamLabel = batch.streamLabel();
    metrics.batchEvents(streamLabel, items.size());
    items.forEach(i -> i.admission().validationNanos().ifPresent(n -> metrics.validationDuration(streamLabel, n)));

    boolean anyRejected = items.stream().anyMatch(i -> i.admission().outcome() instanceof Outcome.Rejected);
    if (anyRejected && !appendValid) {
      respond(ctx, streamLabel, items, verdictsWithoutAppending(items));
      return;
    }
    Optional<String> keyName = AuthHandler.apiKey(ctx).map(ApiKey::name);
    // Hand every append to the producer now, in batch order; each Future ends as a result, never as a failure.
    List<Future<BatchItemResult>> pending = new ArrayList<>(items.size());
    for (BatchItemAdmission item : items) {
      if (item.admission().outcome() instanceof Outcome.Ok<AdmittedEvent> ok) {
        // Each event is deduplicated on its own: a retried batch gets the original positions of what was accepted.
        pending.add(appender.append(ok.value(), keyName)
            .<BatchItemResult>map(d -> new BatchItemResult.Accepted(item.index(), item.id(), d.appended()))
            .otherwise(err -> {
              LOG.log(System.Logger.Level.DEBUG, "append of batch event {0} to {1} failed: {2}",
                  Integer.toString(item.index()), ok.value().stream().topic(), err.toString());
              return new BatchItemResult.Failed(item.index(), item.id(), err instanceof KeyUnavailableException);
            }));
      } else {
        Rejection rejection = ((Outcome.Rejected<AdmittedEvent>) item.admission().outcome()).rejection();
        pending.add(Future.succeededFuture(new BatchItemResult.Rejected(item.index(), item.id(), rejection)));
      }
    }
    Future.all(pending).onComplete(done -> {
      // Every future above recovers, so all of them are complete and succeeded here.
      List<BatchItemResult> results = new ArrayList<>(pending.size());
      pending.forEach(f -> results.add(f.result()));
      long failed = results.stream().filter(r -> r instanceof BatchItemResult.Failed).count();
      if (failed > 0) {
        LOG.log(System.Logger.Level.WARNING, "{0} of {1} appends of a batch to stream {2} were not acknowledged",
            Long.toString(failed), Integer.toString(results.size()), streamLabel);
      }
      respond(ctx, streamLabel, items, results);
    });
  }

  /** {@code partial} is absent, {@code true} or {@code false} (any case). */
  static Outcome<Boolean> partialParameter(String value) {
    if (value == null) {
      return Outcome.ok(Boolean.FALSE);
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("false")) {
      return Outcome.ok(v.equals("true"));
    }
    return Outcome.rejected(new Rejection.InvalidParameter(PARTIAL, value, "true or false"));
  }

  /** An all-or-nothing batch with a rejected event: every event is rejected or aborted, nothing is appended. */
  static List<BatchItemResult> verdictsWithoutAppending(List<BatchItemAdmission> items) {
    List<BatchItemResult> out = new ArrayList<>(items.size());
    for (BatchItemAdmission item : items) {
      out.add(item.admission().outcome() instanceof Outcome.Rejected<AdmittedEvent> r
          ? new BatchItemResult.Rejected(item.index(), item.id(), r.rejection())
          : new BatchItemResult.Aborted(item.index(), item.id()));
    }
    return out;
  }

  private void respond(
      RoutingContext ctx, String streamLabel, List<BatchItemAdmission> items, List<BatchItemResult> results) {
    for (int i = 0; i < results.size(); i++) {
      String typeLabel = items.get(i).admission().typeLabel();
      BatchItemResult r = results.get(i);
      if (r instanceof BatchItemResult.Accepted) {
        metrics.accepted(streamLabel, typeLabel);
      } else if (r instanceof BatchItemResult.Rejected rej) {
        metrics.rejected(streamLabel, typeLabel, rej.rejection().problem());
      } else if (r instanceof BatchItemResult.Aborted) {
        metrics.aborted(streamLabel, typeLabel);
      } else {
        metrics.rejected(streamLabel, typeLabel, ((BatchItemResult.Failed) r).keyUnavailable()
            ? IngestProblem.KEY_UNAVAILABLE : IngestProblem.BROKER_UNAVAILABLE);
      }
    }
    BatchAnswer answer = BatchAnswer.of(results, ctx.request().path());
    IngestOutcome outcome = answer.status() == 503 ? IngestOutcome.FAILED
        : answer.status() < 300 ? IngestOutcome.ACCEPTED : IngestOutcome.REJECTED;
    metrics.ingestDuration(streamLabel, outcome, IngestHandler.elapsed(ctx));
    HttpServerResponse response = ctx.response();
    if (response.headWritten() || response.closed()) {
      return; // the client went away while the appends ran; the results are counted all the same
    }
    response.setStatusCode(answer.status()).putHeader("Content-Type", answer.contentType());
    answer.headers().forEach(response::putHeader);
    response.end(answer.body().encode());
  }

  /** A refusal of the whole request (unknown stream, unreadable body, too many events...): counted once. */
  private void reject(RoutingContext ctx, String streamLabel, Rejection rejection) {
    metrics.rejected(streamLabel, EventAdmission.UNKNOWN, rejection.problem());
    metrics.ingestDuration(streamLabel, IngestOutcome.REJECTED, IngestHandler.elapsed(ctx));
    Problems.send(ctx, Problems.of(rejection, ctx.request().path()));
  }
}
