package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.retry.PoisonPill;
import dev.sluice.quarantine.store.HandlerAttempt;
import dev.sluice.schemas.event.CloudEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Synchronous handlers only: their outcome is known when {@code invoke} returns, without a timer or an event loop. */
class HandlerInvokerTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HandlerInvoker invoker(EventHandler handler) {
    WrapperConfig config = WrapperConfig.of("g", Set.of("t"), BackoffPolicy.dev());
    return new HandlerInvoker(vertx, handler, config, new SplittableRandom(1),
        new ConsumerMetrics(new SimpleMeterRegistry(), "g"), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static ConsumedEvent event() {
    CloudEvent e = new CloudEvent("1.0", "e-1", "/test", "retail.product.created", "application/json", null, null,
        null, Map.of(), "{\"id\":\"p-1\"}");
    return new ConsumedEvent(e, "s", "g", "t", 0, 7, Optional.of("p-1"), false);
  }

  @Test
  void aHandledEventHasOneAttemptAtTheTimeItStarted() {
    HandlerInvoker.Outcome outcome = invoker(event -> Future.succeededFuture()).invoke(event()).result();
    assertInstanceOf(HandlerInvoker.Handled.class, outcome);
    assertEquals(List.of(HandlerAttempt.succeeded(NOW, HandlerAttempt.Tier.IN_PLACE)), outcome.log());
  }

  @Test
  void aRejectionKeepsTheHandlersFramesAndOnlyCountsTheFramesBelowTheWrappersCall() {
    HandlerInvoker.Outcome outcome = invoker(event -> {
      throw new PoisonPill("not this one");
    }).invoke(event()).result();
    HandlerInvoker.Rejected rejected = assertInstanceOf(HandlerInvoker.Rejected.class, outcome);
    String trace = rejected.log().get(0).stackTrace().orElseThrow();
    assertTrue(trace.startsWith("dev.sluice.quarantine.retry.PoisonPill: not this one\n"
        + "\tat dev.sluice.quarantine.consumer.HandlerInvokerTest.lambda$"), trace);
    assertTrue(Pattern.compile("\n\tat dev\\.sluice\\.quarantine\\.consumer\\.HandlerInvoker\\.callOnce\\("
        + "HandlerInvoker\\.java:\\d+\\)\n\t\\.\\.\\. \\d+ more$").matcher(trace).find(), trace);
    assertFalse(trace.contains("org.junit"), "the frames of whoever called the wrapper are counted, not kept: " + trace);
  }
}
