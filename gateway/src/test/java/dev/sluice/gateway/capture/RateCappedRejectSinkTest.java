package dev.sluice.gateway.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ingest.IngestProblem;
import dev.sluice.schemas.Violation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateCappedRejectSinkTest {
  private final AtomicLong nanos = new AtomicLong();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<RejectedEvent> stored = new ArrayList<>();
  private final RejectSink recording = e -> {
    stored.add(e);
    return Future.succeededFuture();
  };

  static RejectedEvent reject(String stream, String id) {
    return new RejectedEvent(stream, stream, "retail.product.created", id, "/shop",
        "{\"data\":{\"price\":0}}".getBytes(StandardCharsets.UTF_8), "application/cloudevents+json",
        Map.of("Content-Type", "application/cloudevents+json", "Authorization", "Bearer secret",
            "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
        IngestProblem.SCHEMA_VIOLATION, List.of(new Violation("/data/price", "exclusiveMinimum", "must be > 0")),
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", Instant.parse("2025-01-01T00:00:00Z"),
        SensitiveBody.Withheld.NOTHING);
  }

  private double count(String name, String stream, String... tags) {
    var search = meters.find(name).tag("stream", stream);
    if (tags.length > 0) {
      search = search.tags(tags);
    }
    var c = search.counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void capturesUpToTheBurstThenDropsAndCountsWhatItDrops() {
    RateCappedRejectSink sink = new RateCappedRejectSink(recording, 1, 2, nanos::get, meters);
    for (int i = 0; i < 5; i++) {
      assertTrue(sink.capture(reject("retail", "e-" + i)).succeeded(), "never fails");
    }
    assertEquals(List.of("e-0", "e-1"), stored.stream().map(RejectedEvent::eventId).toList());
    assertEquals(2, count(RateCappedRejectSink.CAPTURED, "retail"));
    assertEquals(3, count(RateCappedRejectSink.DROPPED, "retail", "cause", "rate_cap"));

    nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
    sink.capture(reject("retail", "e-5"));
    sink.capture(reject("retail", "e-6"));
    assertEquals(List.of("e-0", "e-1", "e-5"), stored.stream().map(RejectedEvent::eventId).toList(),
        "one more per second at 1/s");
    assertEquals(4, count(RateCappedRejectSink.DROPPED, "retail", "cause", "rate_cap"));
  }

  @Test
  void aFailingSinkNeverSurfacesAndIsCounted() {
    RejectSink failing = e -> Future.failedFuture(new IllegalStateException("store down"));
    RejectSink throwing = e -> {
      throw new IllegalStateException("bug");
    };
    assertTrue(new RateCappedRejectSink(failing, 10, 10, nanos::get, meters).capture(reject("retail", "e")).succeeded());
    assertTrue(new RateCappedRejectSink(throwing, 10, 10, nanos::get, meters).capture(reject("retail", "e"))
        .succeeded());
    assertEquals(2, count(RateCappedRejectSink.FAILED, "retail"));
    assertEquals(0, count(RateCappedRejectSink.CAPTURED, "retail"));
  }

  @Test
  void aSlowSinkIsNotGivenMoreThanMaxInFlight() {
    List<Promise<Void>> pending = new ArrayList<>();
    RejectSink slow = e -> {
      Promise<Void> p = Promise.promise();
      pending.add(p);
      return p.future();
    };
    RateCappedRejectSink sink = new RateCappedRejectSink(slow, 1000, 1000, 2, nanos::get, meters);
    Future<Void> a = sink.capture(reject("retail", "a"));
    sink.capture(reject("retail", "b"));
    assertTrue(sink.capture(reject("retail", "c")).succeeded());
    assertEquals(2, pending.size());
    assertFalse(a.isComplete(), "completes when the sink has answered");
    assertEquals(1, count(RateCappedRejectSink.DROPPED, "retail", "cause", "in_flight_cap"));

    pending.get(0).complete();
    assertTrue(a.succeeded());
    sink.capture(reject("retail", "d"));
    assertEquals(3, pending.size(), "room again once one finished");
    assertEquals(1, count(RateCappedRejectSink.CAPTURED, "retail"));
  }

  @Test
  void countersAreTaggedByStream() {
    RateCappedRejectSink sink = new RateCappedRejectSink(recording, 1, 1, nanos::get, meters);
    sink.capture(reject("retail", "a"));
    sink.capture(reject("orders", "b"));
    assertEquals(1, count(RateCappedRejectSink.CAPTURED, "retail"));
    assertEquals(1, count(RateCappedRejectSink.DROPPED, "orders", "cause", "rate_cap"));
  }

  @Test
  void credentialsAreNeverPartOfARejectedEvent() {
    RejectedEvent e = reject("retail", "e");
    assertEquals(Map.of("content-type", "application/cloudevents+json",
        "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), e.headers());
    assertFalse(e.toString().contains("secret"));
    byte[] body = e.body();
    body[0] = 'X';
    assertEquals('{', e.body()[0], "the body cannot be changed from outside");
  }
}
