package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.schemas.catalog.OrderingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Key-level concurrency against the real engines: records of different keys of one partition are in the handler at
 * once (never more than the limit), records of one key never overlap and run in offset order, and the committed
 * offset never passes a record still in hand, however the later ones finish. Both front ends.
 */
@ExtendWith(EnginesExtension.class)
@Timeout(90)
class ConcurrencyIT {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final int KEYS = 30;
  private static final int EVENTS = 300;
  private WrapperHarness h;

  @AfterEach
  void tearDown() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private WrapperHarness harness(Engines engines) throws Exception {
    // A held call must not time out (and become a retry) while the test looks at the commit.
    h = new WrapperHarness(engines, OrderingPolicy.KEY_ORDERED, 1,
        Handling.BY_KEY.tune(c -> c.with(d -> d.handlerTimeout = Duration.ofSeconds(80))));
    return h;
  }

  /** Writes {@link #EVENTS} events over {@link #KEYS} keys, round robin, to partition 0; the last one's metadata. */
  private RecordMetadata produceMany() throws Exception {
    RecordMetadata last = null;
    for (int i = 0; i < EVENTS; i++) {
      last = h.produce(0, "k" + (i % KEYS), "ok");
    }
    return last;
  }

  /** Every event handled once, each key's in offset order, none of one key overlapping; the group committed all. */
  private void assertAllHandledInKeyOrder(RecordMetadata last) {
    Eventually.await("every event handled", WAIT,
        () -> h.handler.applied.size() >= EVENTS ? Optional.of(true) : Optional.empty());
    h.awaitCommitted(0, last.offset() + 1, WAIT);
    assertEquals(EVENTS, h.handler.applied.size(), "each event handled once");
    assertEquals(List.of(), h.handler.sameKeyOverlaps, "no two calls of one key overlapped");
    Map<String, List<Long>> byKey = new TreeMap<>();
    h.handler.calls.forEach(c -> byKey.computeIfAbsent(c.productId(), k -> new ArrayList<>()).add(c.offset()));
    byKey.forEach((key, offsets) -> assertEquals(offsets.stream().sorted().toList(), offsets,
        "the calls of " + key + " came in offset order"));
  }

  /** Writes the events, then checks they were all handled in key order with calls overlapping within the limit. */
  private void assertKeysSideBySide() throws Exception {
    RecordMetadata last = produceMany();
    assertAllHandledInKeyOrder(last);
    int most = h.handler.mostInHand.get();
    assertTrue(most > 1, "calls of different keys overlapped (at most " + most + " at once)");
    assertTrue(most <= Handling.LIMITS.perPartition(), "never more than the limit at once: " + most);
  }

  @Test
  void recordsOfDifferentKeysOverlapWithinTheLimitWhileEachKeyKeepsItsOrder(Engines engines) throws Exception {
    harness(engines).startConsumer();
    assertKeysSideBySide();
  }

  @Test
  void thePlainPollLoopHandlesKeysSideBySideOnItsHandlerThreads(Engines engines) throws Exception {
    harness(engines).startPollLoop();
    assertKeysSideBySide();
  }

  @Test
  void theCommitNeverPassesARecordInHandWhileLaterKeysMoveOnWithinTheWindow(Engines engines) throws Exception {
    harness(engines).startConsumer();
    int window = PartitionWorker.window(h.config);
    int others = 2 * window;
    RecordMetadata slow = h.produce(0, "slow", "hold");
    RecordMetadata slowNext = h.produce(0, "slow", "ok");
    RecordMetadata last = null;
    for (int i = 0; i < others; i++) {
      last = h.produce(0, "other-" + i, "ok");
    }
    // Other keys move on past the record in hand, up to the window (less the two of "slow").
    int within = window - 2 - h.config.maxPollRecords();
    Eventually.await("later keys handled past the record in hand", WAIT,
        () -> h.handler.applied.size() >= within ? Optional.of(true) : Optional.empty());
    // Several commit intervals (200 ms here) pass: the group's offset stays at the record in hand, and the partition
    // takes no more than its window (a fetch may bring one poll's worth on top).
    Thread.sleep(1_500);
    assertEquals(slow.offset(), h.committed(0), "nothing past the record in hand is committed");
    assertEquals(1, h.handler.callsFor("slow").size(), "the key's next record waits for the one in hand");
    int handled = h.handler.applied.size();
    assertTrue(handled <= window + h.config.maxPollRecords(),
        "the partition stopped taking records past its window: " + handled + " handled, window " + window);

    h.handler.release("slow");
    h.awaitCommitted(0, last.offset() + 1, WAIT);
    assertEquals(List.of(slow.offset(), slowNext.offset()),
        h.handler.callsFor("slow").stream().map(ScriptedHandler.Call::offset).toList());
    // A held call is not in "applied": the others, and the key's next record.
    assertEquals(others + 1, h.handler.applied.size(), "every event handled once");
  }
}
