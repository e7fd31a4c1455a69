package dev.sluice.ingest.admit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.registry.CostMeter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ValidationLaneTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Where one run of the work happened, and the ceiling of the meter it validated with. */
  private record Run(String thread, long ceiling) {}

  /** Calls the lane from an event loop, as the gateway's handlers do, and waits for its answer. */
  private <T> T runOnLoop(ValidationLane lane, Function<Supplier<CostMeter>, T> work) throws Exception {
    CompletableFuture<T> answer = new CompletableFuture<>();
    vertx.runOnContext(v -> lane.run(work).onComplete(r -> {
      if (r.succeeded()) {
        answer.complete(r.result());
      } else {
        answer.completeExceptionally(r.cause());
      }
    }));
    return answer.get(30, TimeUnit.SECONDS);
  }

  @Test
  void cheapValidationRunsOnceOnTheEventLoop() throws Exception {
    ValidationLane lane = ValidationLane.create(vertx);
    List<Run> runs = new CopyOnWriteArrayList<>();
    String answer = runOnLoop(lane, meters -> {
      CostMeter meter = meters.get();
      meter.charge(1_000);
      runs.add(new Run(Thread.currentThread().getName(), meter.ceiling()));
      return "ok";
    });
    assertEquals("ok", answer);
    assertEquals(1, runs.size());
    assertTrue(runs.get(0).thread().startsWith("vert.x-eventloop-thread"), runs::toString);
    assertEquals(ValidationLane.EVENT_LOOP_ALLOWANCE, runs.get(0).ceiling());
  }

  @Test
  void theEventsOfARequestShareOneAllowanceOnTheLoop() throws Exception {
    ValidationLane lane = ValidationLane.create(vertx);
    List<Boolean> fitted = new CopyOnWriteArrayList<>();
    runOnLoop(lane, meters -> {
      // Three events of 400,000 steps: the third does not fit in the one million the request may spend on the loop.
      for (int i = 0; i < 3; i++) {
        fitted.add(meters.get().charge(400_000));
      }
      return "done";
    });
    // Then the whole request ran again on the pool, where each event has its own full ceiling.
    assertEquals(List.of(true, true, false, true, true, true), fitted);
  }

  @Test
  void costlyValidationRunsAgainOnTheValidationPoolWithTheFullCeilingPerEvent() throws Exception {
    ValidationLane lane = ValidationLane.create(vertx);
    List<Run> runs = new CopyOnWriteArrayList<>();
    String answer = runOnLoop(lane, meters -> {
      CostMeter meter = meters.get();
      runs.add(new Run(Thread.currentThread().getName(), meter.ceiling()));
      return meter.charge(5_000_000) ? "validated" : "over the allowance";
    });
    assertEquals("validated", answer);
    assertEquals(2, runs.size(), runs::toString);
    assertTrue(runs.get(0).thread().startsWith("vert.x-eventloop-thread"), runs::toString);
    assertEquals(ValidationLane.POOL_NAME + "-0", runs.get(1).thread().replaceAll("-[0-9]+$", "-0"), runs::toString);
    assertEquals(CostMeter.EVENT_CEILING, runs.get(1).ceiling());
  }

  @Test
  void whenTooManyCostlyValidationsWaitTheNextIsRefusedAtOnceAndTheLoopStaysFree() throws Exception {
    ValidationLane lane = ValidationLane.create(vertx);
    CountDownLatch release = new CountDownLatch(1);
    Function<Supplier<CostMeter>, String> blocking = meters -> {
      CostMeter meter = meters.get();
      meter.charge(2_000_000);
      if (meter.ceiling() == CostMeter.EVENT_CEILING) {
        try {
          // Holds a pool thread (or its place in the pool's queue) until the test lets go.
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return "validated";
    };
    List<Future<String>> waiting = new ArrayList<>();
    CompletableFuture<Void> submitted = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      for (int i = 0; i < ValidationLane.MAX_WAITING; i++) {
        waiting.add(lane.run(blocking));
      }
      submitted.complete(null);
    });
    submitted.get(10, TimeUnit.SECONDS);

    Throwable refused = assertInstanceOf(java.util.concurrent.ExecutionException.class,
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> runOnLoop(lane, blocking))).getCause();
    assertInstanceOf(ValidationLane.Busy.class, refused);
    // A cheap request is still answered on the loop while the pool is full.
    assertEquals("cheap", runOnLoop(lane, meters -> "cheap"));

    release.countDown();
    for (Future<String> f : waiting) {
      assertEquals("validated", f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    }
    // Everything that waited has finished, so the lane takes costly work again.
    assertEquals("validated", runOnLoop(lane, blocking));
  }
}
