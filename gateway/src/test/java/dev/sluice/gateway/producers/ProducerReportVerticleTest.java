package dev.sluice.gateway.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.storekit.producers.ProducerReport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reporter on a real Vert.x, writing to a writer of the test's own: reports are written on a worker, a failed one
 * is counted and its events reported with the next, and ingest's counting never waits for any of it.
 */
class ProducerReportVerticleTest {
  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private double reports(String outcome) {
    return meters.get(ProducerReportVerticle.REPORTS).tag("outcome", outcome).counter().count();
  }

  private static void awaitTrue(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(10);
    }
  }

  @Test
  void aFailedReportIsCountedAndItsEventsGoOutWithTheNextOnAWorker() throws Exception {
    ProducerTally tally = ProducerTally.create();
    List<ProducerReport> written = new CopyOnWriteArrayList<>();
    List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    ReportWriter writer = report -> {
      onEventLoop.add(Context.isOnEventLoopThread());
      if (calls.incrementAndGet() == 1) {
        // Counted after this report's snapshot: they belong to the next window, with the ones this report failed on.
        tally.appended("retail", "shop-web", 2);
        throw new IllegalStateException("the table is away");
      }
      written.add(report);
      return true;
    };
    tally.appended("retail", "shop-web", 3);
    vertx.deployVerticle(new ProducerReportVerticle(new ProducerReportVerticle.Reporting(tally, writer,
        Duration.ofMillis(50), "gw-1"), meters)).await(10, TimeUnit.SECONDS);
    assertEquals(0.0, reports("failed"), "every outcome is there from the start");

    awaitTrue("a written report", () -> !written.isEmpty());
    ProducerReport first = written.get(0);
    assertEquals(5, first.windowEvents(), "the failed report's events and the new ones");
    assertEquals(5, first.totalEvents());
    assertEquals(1.0, reports("failed"));
    assertTrue(reports("written") >= 1.0);
    assertTrue(onEventLoop.stream().noneMatch(b -> b), "the writer never runs on an event loop");
  }

  @Test
  void aLaterReportStandingIsNotAFailure() throws Exception {
    ProducerTally tally = ProducerTally.create();
    tally.appended("retail", "shop-web", 1);
    vertx.deployVerticle(new ProducerReportVerticle(new ProducerReportVerticle.Reporting(tally, report -> false,
        Duration.ofMillis(20), "gw-1"), meters)).await(10, TimeUnit.SECONDS);
    awaitTrue("a superseded report", () -> reports("superseded") >= 1.0);
    assertEquals(0.0, reports("failed"));
  }

  @Test
  void anInstanceIdIsNewAtEveryStartAndHasNoSeparator() {
    String a = ProducerReportVerticle.newInstanceId();
    String b = ProducerReportVerticle.newInstanceId();
    assertTrue(!a.equals(b), a);
    assertTrue(a.indexOf('#') < 0, a);
  }
}
