package dev.sluice.gateway.http;

import dev.sluice.gateway.capture.RejectSink;
import dev.sluice.gateway.capture.RejectedEvent;
import dev.sluice.gateway.capture.SensitiveBody;
import dev.sluice.ingest.CloudEventHttpReader;
import dev.sluice.ingest.Rejection;
import dev.sluice.ingest.admit.EventAdmission.Admission;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Hands a refused event to the {@link RejectSink} after the client has its answer, so operators can see what
 * producers get wrong. Fire and forget: the sink caps its own rate and never fails, and nothing here changes the
 * answer. Only rejections of known streams with one of {@link RejectedEvent#CAPTURED_REASONS} are kept, and without
 * the values a schema marks sensitive ({@link SensitiveBody}).
 */
public final class RejectCapture {
  private final SchemaRegistry registry;
  private final RejectSink sink;
  private final Clock clock;

  public RejectCapture(SchemaRegistry registry, RejectSink sink, Clock clock) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A capture that keeps nothing. */
  public static RejectCapture none(SchemaRegistry registry) {
    return new RejectCapture(registry, RejectSink.NONE, Clock.systemUTC());
  }

  void capture(RoutingContext ctx, Admission admission, Rejection rejection) {
    // Nothing to build (no body copy, no problem mapping) when nothing would be kept.
    if (sink == RejectSink.NONE || !RejectedEvent.CAPTURED_REASONS.contains(rejection.problem())) {
      return;
    }
    RegistryState state = registry.state();
    Optional<StreamDefinition> stream = state.stream(admission.streamLabel());
    if (stream.isEmpty()) {
      return;
    }
    HttpServerRequest req = ctx.request();
    Buffer received = ctx.body().buffer();
    Optional<CloudEvent> event = admission.event();
    // Values a schema marks sensitive are never kept in the clear, here any more than on the ledger.
    String contentType = req.getHeader("Content-Type");
    Optional<String> binaryType = CloudEventHttpReader.isStructured(contentType) ? Optional.empty()
        : Optional.ofNullable(req.getHeader("ce-type"));
    SensitiveBody.Kept kept = SensitiveBody.kept(state, stream.get(), event, contentType,
        received == null ? new byte[0] : received.getBytes(), binaryType);
    sink.capture(new RejectedEvent(
        stream.get().name(),
        stream.get().topic(),
        event.map(CloudEvent::type).orElse(null),
        event.map(CloudEvent::id).orElse(null),
        event.map(CloudEvent::source).orElse(null),
        kept.body(),
        req.getHeader("Content-Type"),
        headers(req),
        rejection.problem(),
        // The violations exactly as the client was told them.
        rejection.violations(),
        req.getHeader("traceparent"),
        clock.instant(),
        kept.withheld()));
  }

  /** Repeated headers joined with ", " (RFC 9110); RejectedEvent itself keeps only the allowed ones. */
  private static Map<String, String> headers(HttpServerRequest req) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : req.headers()) {
      out.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b);
    }
    return out;
  }
}
