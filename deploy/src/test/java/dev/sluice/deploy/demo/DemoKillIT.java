package dev.sluice.deploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.engine.DataDirs;
import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.SluiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo consumer {@code catalog-builder} as its own process ({@code ./sluice demo}), SIGKILLed every few seconds
 * while 20,000 records (1% poison) arrive, restarted each time, and finally left to drain. Afterwards every good event
 * is in the catalog view, every poison record has exactly one quarantine item, and nothing else is there: nothing
 * lost, nothing doubled, although each kill made the restarted consumer read again what it had handled but not yet
 * committed.
 *
 * <p>Why a kill loses nothing: the wrapper commits an offset only once everything before it was handled or durably
 * recorded, so a kill can only cost re-deliveries. Re-deliveries are harmless because every write is keyed: the view
 * puts a product by its id, and the quarantine item's id is derived from (group, topic, partition, offset) and
 * written conditionally.
 */
@ExtendWith(EnginesExtension.class)
class DemoKillIT {
  private static final System.Logger LOG = System.getLogger(DemoKillIT.class.getName());

  private static final int EVENTS = 20_000;
  /** 1 in 100 is poison. */
  private static final int POISON_EVERY = 100;
  /** The records are written over this long, in slices, so that they arrive while the consumer is being killed. */
  private static final Duration PRODUCE_OVER = Duration.ofSeconds(12);
  private static final int SLICES = 40;
  private static final int MIN_KILLS = 4;
  private static final int MAX_KILLS = 6;
  /** How long the consumer runs (after it said it is up) before the next SIGKILL: 3 to 5 s. */
  private static final long MIN_UP_MILLIS = 3_000;
  private static final long MAX_UP_MILLIS = 5_000;
  private static final Duration START_WITHIN = Duration.ofSeconds(60);
  private static final Duration DRAIN_WITHIN = Duration.ofSeconds(150);

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void killedEveryFewSecondsTheDemoConsumerLosesNothingAndQuarantinesEachPoisonOnce(Engines engines)
      throws Exception {
    Path workDir = Files.createTempDirectory("sluice-demo-kill");
    ExecutorService producing = Executors.newSingleThreadExecutor();
    boolean passed = false;
    try (DemoRun run = new DemoRun(engines.bootstrapServers(), engines.dynamoEndpoint(), engines.sqsEndpoint());
        SluiceProcess demo = run.process(workDir)) {
      run.startGroupAtEnd();
      long t0 = System.nanoTime();
      List<Long> startMillis = new ArrayList<>();
      startMillis.add(demo.start(START_WITHIN).toMillis());

      // Good events and poison, in slices spread over PRODUCE_OVER, from a thread of their own.
      List<Future<RecordMetadata>> sends = new ArrayList<>(EVENTS);
      Set<Integer> poisonIndexes = new HashSet<>();
      AtomicBoolean produced = new AtomicBoolean();
      AtomicLong producedAfter = new AtomicLong();
      Future<?> producer = producing.submit(() -> {
        long sliceNanos = PRODUCE_OVER.toNanos() / SLICES;
        long start = System.nanoTime();
        for (int i = 0; i < EVENTS; i++) {
          if (i % (EVENTS / SLICES) == 0) {
            long due = start + (i / (EVENTS / SLICES)) * sliceNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
              TimeUnit.NANOSECONDS.sleep(wait);
            }
          }
          boolean poison = i % POISON_EVERY == POISON_EVERY / 2;
          synchronized (sends) {
            if (poison) {
              poisonIndexes.add(i);
            }
            sends.add(poison ? run.sendPoison(i) : run.sendGood(i));
          }
        }
        run.flush();
        producedAfter.set(System.nanoTime());
        produced.set(true);
        return null;
      });

      // SIGKILL the consumer 3-5 s after each start, and start it again, until everything is written.
      SplittableRandom random = new SplittableRandom(42);
      double handledBeforeKills = 0;
      double judgedBeforeKills = 0;
      int unscraped = 0;
      int kills = 0;
      List<Long> killedAtMillis = new ArrayList<>();
      while (kills < MAX_KILLS && (kills < MIN_KILLS || !produced.get())) {
        Thread.sleep(random.nextLong(MIN_UP_MILLIS, MAX_UP_MILLIS + 1));
        // Read just before the kill: what this life handled (the last few ms before the kill are not counted).
        double handled = run.scrape("sluice_consumer_events_handled_total");
        double judged = run.scrape("sluice_consumer_poison_judged_total");
        demo.kill();
        kills++;
        killedAtMillis.add(ms(System.nanoTime() - t0));
        handledBeforeKills += Math.max(0, handled);
        judgedBeforeKills += Math.max(0, judged);
        unscraped += handled < 0 || judged < 0 ? 1 : 0;
        LOG.log(System.Logger.Level.INFO, "kill {0} at {1} ms: this life handled {2}; committed {3}", kills,
            killedAtMillis.get(kills - 1), handled, new TreeMap<>(run.committed()));
        startMillis.add(demo.start(START_WITHIN).toMillis());
      }
      producer.get(60, TimeUnit.SECONDS);
      long killsOverAt = System.nanoTime();

      // Where each record went, and where each partition ends.
      Map<Integer, Long> lastOffset = new HashMap<>();
      Map<String, RecordMetadata> poison = new HashMap<>();
      Map<String, RecordMetadata> good = new HashMap<>();
      for (int i = 0; i < EVENTS; i++) {
        RecordMetadata m = sends.get(i).get(30, TimeUnit.SECONDS);
        lastOffset.merge(m.partition(), m.offset(), Math::max);
        if (poisonIndexes.contains(i)) {
          poison.put(m.partition() + "@" + m.offset(), m);
        } else {
          good.put(run.goodKey(i), m);
        }
      }

      // The last start stays up: wait until the group has committed past every record of the run.
      Eventually.await("the group committed past every record " + lastOffset, DRAIN_WITHIN, () -> {
        Map<Integer, Long> committed = run.committed();
        return lastOffset.entrySet().stream()
            .allMatch(e -> committed.getOrDefault(e.getKey(), -1L) > e.getValue()) ? Optional.of(true)
            : Optional.empty();
      });
      long drainedAt = System.nanoTime();
      // The poison went to the quarantine log (on by default): its items reach the table behind the commit, once the
      // indexer has written them.
      Eventually.await("every poison record's item indexed into the table", DRAIN_WITHIN,
          () -> run.quarantineItems().size() >= poison.size() ? Optional.of(true) : Optional.empty());
      long indexedAt = System.nanoTime();
      double handledLastLife = run.scrape("sluice_consumer_events_handled_total");
      double judgedLastLife = run.scrape("sluice_consumer_poison_judged_total");

      Set<String> inView = run.productsInView();
      List<DemoRun.StoredItem> items = run.quarantineItems();
      Map<String, List<DemoRun.StoredItem>> itemsByRecord = items.stream()
          .collect(Collectors.groupingBy(it -> it.partition() + "@" + it.offset()));
      long handledTotal = Math.round(handledBeforeKills + handledLastLife);
      long judgedTotal = Math.round(judgedBeforeKills + judgedLastLife);

      LOG.log(System.Logger.Level.INFO, String.join("\n  ",
          "demo consumer killed under load:",
          "records: " + EVENTS + " (" + good.size() + " good, " + poison.size() + " poison) written over "
              + PRODUCE_OVER.toSeconds() + " s",
          "SIGKILLs: " + kills + " at " + killedAtMillis + " ms; starts took " + startMillis + " ms",
          "all written " + ms(producedAfter.get() - t0) + " ms after the first start; last kill and restart over at "
              + ms(killsOverAt - t0) + " ms; drained (committed past the end) " + ms(drainedAt - killsOverAt)
              + " ms after that; " + ms(drainedAt - t0) + " ms in all; every item in the table "
              + ms(indexedAt - drainedAt) + " ms after the drain",
          "handler successes counted by the demo's lives: " + handledTotal + " for " + good.size()
              + " good events: at least " + Math.max(0, handledTotal - good.size())
              + " re-deliveries after kills (each life's "
              + "/metrics read just before its kill; " + unscraped + " of them did not answer)",
          "poison judged by the demo's lives: " + judgedTotal + " for " + poison.size() + " poison records: "
              + Math.max(0, judgedTotal - poison.size()) + " judged again after a kill, none quarantined twice",
          "view: " + inView.size() + " products; quarantine: " + items.size() + " items"));

      assertTrue(kills >= MIN_KILLS, "the consumer was killed at least " + MIN_KILLS + " times");
      List<String> missing = good.keySet().stream().filter(id -> !inView.contains(id)).sorted().limit(20).toList();
      assertEquals(List.of(), missing, "every good event is applied in the view");
      assertEquals(good.keySet(), inView, "the view holds exactly the good events' products");
      for (Map.Entry<String, RecordMetadata> p : poison.entrySet()) {
        List<DemoRun.StoredItem> forRecord = itemsByRecord.getOrDefault(p.getKey(), List.of());
        assertEquals(1, forRecord.size(), "one quarantine item for poison " + p.getKey() + ": " + forRecord);
        DemoRun.StoredItem item = forRecord.get(0);
        assertEquals("QUARANTINED", item.status(), "poison " + p.getKey());
        assertEquals(run.group, item.group());
        assertEquals(DemoRun.TOPIC, item.topic());
      }
      List<DemoRun.StoredItem> strangers = items.stream()
          .filter(it -> !poison.containsKey(it.partition() + "@" + it.offset())).toList();
      assertEquals(List.of(), strangers, "no quarantine item for a good event");
      assertEquals(EVENTS, inView.size() + items.size(), "applied + quarantined = written: nothing lost");
      passed = true;
    } finally {
      producing.shutdownNow();
      if (passed) {
        DataDirs.wipe(workDir);
      } else {
        LOG.log(System.Logger.Level.WARNING, "demo process log kept in {0}", workDir);
      }
    }
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
