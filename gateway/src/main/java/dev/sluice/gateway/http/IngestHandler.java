package dev.sluice.gateway.http;

import dev.sluice.gateway.ingest.EventAdmission;
import dev.sluice.gateway.ingest.EventAdmission.Admission;
import dev.sluice.gateway.ingest.EventAdmission.AdmittedEvent;
import dev.sluice.gateway.ingest.HttpEventRequest;
import dev.sluice.gateway.ingest.Outcome;
import dev.sluice.gateway.ingest.Rejection;
import dev.sluice.gateway.kafka.Appended;
import dev.sluice.gateway.kafka.EventAppender;
import dev.sluice.gateway.metrics.GatewayMetrics;
import dev.sluice.gateway.metrics.GatewayMetrics.IngestOutcome;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * {@code POST /v1/streams/{stream}/events}: admit, append, answer. Runs on the event loop; the admission is pure CPU
 * work bounded by the body limit, and the append returns a Future (the Kafka call itself runs on a worker).
 *
 * <p>202 is sent only from the success of the append Future, i.e. after the broker acknowledged with acks=all.
 */
public final class IngestHandler implements Handler<RoutingContext> {
  public static final String PATH = "/v1/streams/:stream/events";
  /** When the complete body was in hand: the ingest timer measures from here to the answer. */
  static final String STARTED_AT = "sluice.startedAt";

  private static final System.Logger LOG = System.getLogger(IngestHandler.class.getName());

  private final EventAdmission admission;
  private final EventAppender appender;
  private final GatewayMetrics metrics;

  public IngestHandler(EventAdmission admission, EventAppender appender, GatewayMetrics metrics) {
    this.admission = Objects.requireNonNull(admission, "admission");
    this.appender = Objects.requireNonNull(appender, "appender");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.put(STARTED_AT, System.nanoTime());
    HttpServerRequest req = ctx.request();
    Buffer body = ctx.body().buffer();
    HttpEventRequest request = new HttpEventRequest(
        req.getHeader("Content-Type"), req.headers(), body == null ? new byte[0] : body.getBytes());
    Admission a = admission.admit(ctx.pathParam("stream"), request);
    a.validationNanos().ifPresent(nanos -> metrics.validationDuration(a.streamLabel(), nanos));
    if (a.outcome() instanceof Outcome.Rejected<AdmittedEvent> r) {
      reject(ctx, a.streamLabel(), a.typeLabel(), r.rejection(), IngestOutcome.REJECTED);
      return;
    }
    AdmittedEvent ok = ((Outcome.Ok<AdmittedEvent>) a.outcome()).value();
    append(appender, metrics, ok)
        .onSuccess(appended -> accept(ctx, ok, appended))
        .onFailure(err -> {
          // Kafka did not acknowledge: the event may not be stored, so never 2xx. 503 invites a retry.
          LOG.log(System.Logger.Level.WARNING, "append to topic {0} failed: {1}", ok.stream().topic(), err.toString());
          reject(ctx, a.streamLabel(), a.typeLabel(),
              new Rejection.BrokerUnavailable("Kafka did not acknowledge the event in time; it was not accepted, "
                  + "retry later (" + err.getClass().getSimpleName() + ")"),
              IngestOutcome.FAILED);
        });
  }

  /**
   * Appends one admitted event with its extra headers (schema version, trace context) and times the append. Shared
   * with the batch handler.
   */
  static Future<Appended> append(EventAppender appender, GatewayMetrics metrics, AdmittedEvent ok) {
    long started = System.nanoTime();
    return appender.append(ok.stream().topic(), ok.partitionKey(), ok.event(), ok.kafkaHeaders())
        .onComplete(ar -> metrics.appendDuration(ok.stream().name(),
            ar.succeeded() ? IngestOutcome.ACCEPTED : IngestOutcome.FAILED, System.nanoTime() - started));
  }

  private void accept(RoutingContext ctx, AdmittedEvent ok, Appended appended) {
    metrics.accepted(ok.stream().name(), ok.binding().type());
    metrics.ingestDuration(ok.stream().name(), IngestOutcome.ACCEPTED, elapsed(ctx));
    JsonObject body = new JsonObject()
        .put("id", ok.event().id())
        .put("stream", ok.stream().name())
        .put("topic", appended.topic())
        .put("partition", appended.partition())
        .put("offset", appended.offset())
        .put("schemaVersion", ok.schema().version());
    ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json").end(body.encode());
  }

  /** Counts and answers a rejection; also used by the route's failure handler for bodies over the limit. */
  void reject(RoutingContext ctx, String stream, String type, Rejection rejection, IngestOutcome outcome) {
    metrics.rejected(stream, type, rejection.reason());
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

  static long elapsed(RoutingContext ctx) {
    Long started = ctx.get(STARTED_AT);
    return started == null ? 0 : System.nanoTime() - started;
  }
}
