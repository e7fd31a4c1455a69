package dev.sluice.gateway.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The gateway's counts per (stream, API key name): events, not requests; bounded; safe from many threads. */
class ProducerTallyTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private static Map<String, Long> totals(ProducerTally tally) {
    Map<String, Long> out = new TreeMap<>();
    tally.forEach((stream, key, count) -> out.put(stream + "/" + key, count.total()));
    return out;
  }

  @Test
  void countsEventsPerStreamAndKeyNameWithWhenTheLastOneWas() {
    AtomicReference<Instant> now = new AtomicReference<>(T0);
    ProducerTally tally = new ProducerTally(100, now::get);
    tally.appended("retail", "shop-web", 1);
    now.set(T0.plusSeconds(3));
    tally.appended("retail", "shop-web", 3);
    tally.appended("retail", "pos", 1);
    tally.appended("orders", "shop-web", 2);
    tally.appended("orders", "pos", 0);
    assertEquals(Map.of("orders/shop-web", 2L, "retail/pos", 1L, "retail/shop-web", 4L), totals(tally),
        "nothing for a pair that appended nothing");
    tally.forEach((stream, key, count) -> assertEquals(T0.plusSeconds(3).toEpochMilli(), count.lastSeenMillis()));
    assertEquals(T0, tally.since());
  }

  @Test
  void pastItsBoundANewPairIsNotCountedAndTheOthersStillAre() {
    ProducerTally tally = new ProducerTally(2, InstantSource.fixed(T0));
    tally.appended("a", "k", 1);
    tally.appended("b", "k", 1);
    tally.appended("c", "k", 5);
    tally.appended("a", "k", 1);
    assertEquals(Map.of("a/k", 2L, "b/k", 1L), totals(tally));
  }

  @Test
  void manyThreadsCountingAtOnceLoseNothing() throws Exception {
    ProducerTally tally = new ProducerTally(100, InstantSource.system());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String key = "key-" + (t % 2);
        runs.add(pool.submit(() -> {
          for (int i = 0; i < 10_000; i++) {
            tally.appended("retail", key, 1);
          }
        }));
      }
      for (Future<?> f : runs) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(Map.of("retail/key-0", 20_000L, "retail/key-1", 20_000L), totals(tally));
  }
}
