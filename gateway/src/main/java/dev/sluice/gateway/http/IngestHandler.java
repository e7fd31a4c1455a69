package dev.sluice.gateway.http;

import dev.sluice.crypto.keys.KeyAccessDeniedException;
import dev.sluice.crypto.keys.KeyUnavailableException;
import dev.sluice.gateway.auth.ApiKey;
import dev.sluice.gateway.auth.AuthHandler;
import dev.sluice.gateway.dedup.Dedup;
import dev.sluice.gateway.dedup.DedupingAppender;
import dev.sluice.gateway.metrics.GatewayMetrics.IngestOutcome;
import dev.sluice.gateway.metrics.GatewayMetrics;
import dev.sluice.gateway.problem.Problems;
import dev.sluice.ingest.HttpEventRequest;
import dev.sluice.ingest.Outcome;
import dev.sluice.ingest.Rejection;
import dev.sluice.ingest.admit.EventAdmission.Admission;
import dev.sluice.ingest.admit.EventAdmission.AdmittedEvent;
import dev.sluice.ingest.admit.EventAdmission;
import dev.sluice.ingest.admit.ValidationLane;
import dev.sluice.ingest.kafka.AppendFailure;
import dev.sluice.ingest.kafka.Appended;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * {@code POST /v1/streams/{stream}/events}: admit, append, answer. Runs on the event loop; the admission is pure CPU
 * work, which the {@link ValidationLane} moves to a worker when its validation is costly, and the append returns a
 * Future (the Kafka call itself runs on a worker).
 *
 * <p>202 is sent only from the success of the append Future, i.e. after the broker acknowledged with acks=all.
 */
public final class IngestHandler implements Handler<RoutingContext> {
  public static final String PATH = "/v1/streams/:stream/events";
  /** When the complete body was in hand: the ingest timer measures from here to the answer. */
  static final String STARTED_AT = "sluice.startedAt";

  private static final System.Logger LOG = System.getLogger(IngestHandler.class.getName());

  private final EventAdmission admission;
  private final ValidationLane lane;
  private final DedupingAppender appender;
  private final RejectCapture capture;
  private final GatewayMetrics metrics;

  public IngestHandler(EventAdmission admission, ValidationLane lane, DedupingAppender appender, RejectCapture capture,
      GatewayMetrics metrics) {
    this.admission = Objects.requireNonNull(admission, "admission");
    this.lane = Objects.requireNonNull(lane, "lane");
    this.appender = Objects.requireNonNull(appender, "appender");
    this.capture = Objects.requireNonNull(capture, "capture");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.put(STARTED_AT, System.nanoTime());
    HttpEventRequest request = eventRequest(ctx);
    String stream = ctx.pathParam("stream");
    lane.run(meters -> admission.admit(stream, request, meters))
        .onSuccess(a -> admitted(ctx, a))
        .onFailure(err -> {
          if (err instanceof ValidationLane.Busy) {
            reject(ctx, admission.streamLabel(stream), EventAdmission.UNKNOWN, new Rejection.ValidationBusy(),
                IngestOutcome.REJECTED);
          } else {
            ctx.fail(err);
          }
        });
  }

  private void admitted(RoutingContext ctx, Admission a) {
    a.validationNanos().ifPresent(nanos -> metrics.validationDuration(a.streamLabel(), nanos));
    if (a.outcome() instanceof Outcome.Rejected<AdmittedEvent> r) {
      reject(ctx, a.streamLabel(), a.typeLabel(), r.rejection(), IngestOutcome.REJECTED);
      // After the answer, so keeping the reject never delays or changes it.
      capture.capture(ctx, a, r.rejection());
      return;
    }
    AdmittedEvent ok = ((Outcome.Ok<AdmittedEvent>) a.outcome()).value();
    appender.append(ok, AuthHandler.apiKey(ctx).map(ApiKey::name))
        .onSuccess(result -> accept(ctx, ok, result))
        .onFailure(err -> {
          // Kafka did not acknowledge: the event may not be stored, so never 2xx.
          LOG.log(System.Logger.Level.DEBUG, "append to topic {0} failed: {1}", ok.stream().topic(), err.toString());
          reject(ctx, a.streamLabel(), a.typeLabel(), appendFailed(err), IngestOutcome.FAILED);
        });
  }

  /**
   * The rejection for an append Kafka did not acknowledge: 413 when the record can never fit Kafka's limits, 503
   * {@code key-unavailable} when its sensitive values could not be sealed (so it was never sent), else 503
   * with Retry-After (the same request may succeed later; if the lost answer hid a write, the retry is deduplicated).
   */
  static Rejection appendFailed(Throwable err) {
    if (err instanceof KeyUnavailableException) {
      if (err instanceof KeyAccessDeniedException) {
        // Not an outage that ends by itself: only a change of this gateway's permissions does. Says no subject.
        LOG.log(System.Logger.Level.WARNING, "sealing refused: this gateway may not use the key table or the KEK: {0}",
            err.getMessage());
      }
      return new Rejection.KeyUnavailable();
    }
    AppendFailure failure = AppendFailure.classify(err, false);
    if (failure == AppendFailure.RECORD_TOO_LARGE) {
      return new Rejection.RecordTooLarge("the event is larger than Kafka accepts for one record (max.request.size "
          + "or the topic's max.message.bytes); it was not appended");
    }
    String why = switch (failure) {
      case BACKPRESSURE -> "the gateway has too many appends waiting for Kafka and sheds load";
      case BUFFER_FULL -> "Kafka is slower than ingress and the producer's buffer stayed full";
      case CLOSING -> "the gateway is shutting down";
      case REJECTED_BY_BROKER -> "Kafka refused the record (a server-side configuration problem)";
      default -> "Kafka did not acknowledge the event in time";
    };
    return new Rejection.BrokerUnavailable(failure.label(), why + "; it was not accepted, retry later");
  }

  private void accept(RoutingContext ctx, AdmittedEvent ok, Dedup result) {
    Appended appended = result.appended();
    metrics.accepted(ok.stream().name(), ok.binding().type());
    metrics.ingestDuration(ok.stream().name(), IngestOutcome.ACCEPTED, elapsed(ctx));
    JsonObject body = new JsonObject()
        .put("id", ok.event().id())
        .put("stream", ok.stream().name())
        .put("topic", appended.topic())
        .put("partition", appended.partition())
        .put("offset", appended.offset())
        .put("schemaVersion", ok.schema().version());
    if (result instanceof Dedup.Duplicate) {
      // The same (source, id) was accepted before: this is its original position, nothing was appended now.
      body.put("duplicate", true);
    }
    ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json").end(body.encode());
  }

  /** Counts and answers a rejection; also used by the route's failure handler for bodies over the limit. */
  void reject(RoutingContext ctx, String stream, String type, Rejection rejection, IngestOutcome outcome) {
    metrics.rejected(stream, type, rejection.problem());
    metrics.ingestDuration(stream, outcome, elapsed(ctx));
    Problems.send(ctx, Problems.of(rejection, ctx.request().path()));
  }

  /** The route's failure handler: a body over the limit is a counted 413; anything else goes to the generic one. */
  public void handleFailure(RoutingContext ctx, long maxBodyBytes) {
    if (ctx.statusCode() == 413) {
      reject(ctx, admission.streamLabel(ctx.pathParam("stream")), EventAdmission.UNKNOWN,
          new Rejection.TooLarge(maxBodyBytes), IngestOutcome.REJECTED);
    } else {
      ctx.next();
    }
  }

  /** The request as the ingest contract reads it, single or batch; a request without a body has an empty one. */
  static HttpEventRequest eventRequest(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    Buffer body = ctx.body().buffer();
    return new HttpEventRequest(req.getHeader("Content-Type"), req.headers(),
        body == null ? new byte[0] : body.getBytes());
  }

  static long elapsed(RoutingContext ctx) {
    Long started = ctx.get(STARTED_AT);
    return started == null ? 0 : System.nanoTime() - started;
  }
}
