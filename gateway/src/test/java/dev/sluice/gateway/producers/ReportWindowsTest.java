package dev.sluice.gateway.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.storekit.producers.ProducerReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Which pairs are reported at each interval, over which window: events per window add up to what was counted, a
 * failed report's events go into the next one, a pair that stopped gets one report of nothing, then none.
 */
class ReportWindowsTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Duration EVERY = Duration.ofSeconds(15);

  private final AtomicReference<Instant> now = new AtomicReference<>(T0);
  private final ProducerTally tally = new ProducerTally(100, now::get);
  private final ReportWindows windows = new ReportWindows(tally, "gw-1", EVERY);

  private List<ReportWindows.Due> tick(long seconds) {
    now.set(T0.plusSeconds(seconds));
    return windows.due(now.get());
  }

  private List<ReportWindows.Due> tickAndWrite(long seconds) {
    List<ReportWindows.Due> due = tick(seconds);
    due.forEach(windows::written);
    return due;
  }

  private static ProducerReport only(List<ReportWindows.Due> due) {
    assertEquals(1, due.size(), due.toString());
    return due.get(0).report();
  }

  @Test
  void nothingCountedNothingReported() {
    assertTrue(tickAndWrite(15).isEmpty());
  }

  @Test
  void aWindowHoldsTheEventsSinceTheLastReportAndTheTotalAllOfThem() {
    now.set(T0.plusSeconds(2));
    tally.appended("retail", "shop-web", 30);
    ProducerReport first = only(tickAndWrite(15));
    assertEquals("retail", first.stream());
    assertEquals("shop-web", first.keyName());
    assertEquals("gw-1", first.instance());
    assertEquals(30, first.windowEvents());
    assertEquals(Duration.ofSeconds(15), first.window(), "from the start of counting");
    assertEquals(EVERY, first.interval());
    assertEquals(30, first.totalEvents());
    assertEquals(T0.plusSeconds(2), first.lastSeen());
    assertEquals(T0.plusSeconds(15), first.reportedAt());
    assertEquals(2.0, first.ratePerSecond());

    now.set(T0.plusSeconds(20));
    tally.appended("retail", "shop-web", 15);
    ProducerReport second = only(tickAndWrite(30));
    assertEquals(15, second.windowEvents());
    assertEquals(Duration.ofSeconds(15), second.window());
    assertEquals(45, second.totalEvents());
    assertEquals(1.0, second.ratePerSecond());
  }

  @Test
  void aFailedReportsEventsGoIntoTheNextOneOverTheLongerWindow() {
    tally.appended("retail", "shop-web", 30);
    tick(15); // not written
    tally.appended("retail", "shop-web", 15);
    ProducerReport next = only(tickAndWrite(30));
    assertEquals(45, next.windowEvents());
    assertEquals(Duration.ofSeconds(30), next.window());
    assertEquals(1.5, next.ratePerSecond());
  }

  @Test
  void aPairThatStoppedGetsOneReportOfNothingThenNoneUntilItPostsAgain() {
    tally.appended("retail", "shop-web", 30);
    tickAndWrite(15);
    ProducerReport stopped = only(tickAndWrite(30));
    assertEquals(0, stopped.windowEvents());
    assertEquals(30, stopped.totalEvents());
    assertTrue(tickAndWrite(45).isEmpty());
    assertTrue(tickAndWrite(60).isEmpty());

    // Its next window starts at the last interval, not when it went quiet: the rate is not spread over the silence.
    now.set(T0.plusSeconds(70));
    tally.appended("retail", "shop-web", 15);
    ProducerReport again = only(tickAndWrite(75));
    assertEquals(15, again.windowEvents());
    assertEquals(Duration.ofSeconds(15), again.window());
    assertEquals(45, again.totalEvents());
  }

  @Test
  void aPairFirstSeenLaterHasItsWindowFromThePreviousInterval() {
    tally.appended("retail", "shop-web", 1);
    tickAndWrite(15);
    now.set(T0.plusSeconds(20));
    tally.appended("orders", "pos", 10);
    List<ReportWindows.Due> due = tickAndWrite(30);
    ProducerReport orders = due.stream().map(ReportWindows.Due::report).filter(r -> r.stream().equals("orders"))
        .findFirst().orElseThrow();
    assertEquals(Duration.ofSeconds(15), orders.window());
    assertEquals(10, orders.windowEvents());
  }
}
