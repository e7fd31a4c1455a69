package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.HandlerAttempt;
import dev.sluice.quarantine.store.ConsumerWrites;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The write-behind bookkeeping: batches, back-pressure, and the watermark that never passes an unrecorded item. */
class WriteBehindTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private static QuarantineItem item(long offset, int payloadBytes) {
    return new QuarantineItem(QuarantineItem.idFor("g", "t", 0, offset), QuarantineStatus.QUARANTINED, "s", "g", "t",
        0, offset, Optional.of("k" + offset), new byte[payloadBytes], List.of(), Optional.empty(), Optional.empty(),
        QuarantineReason.SCHEMA_VIOLATION, "SchemaViolation", "bad", List.of(), 0, NOW, NOW, Optional.empty(), 0,
        List.of(new AuditEntry(NOW, "QUARANTINED", "a", "")), List.of(), Optional.empty(), Optional.empty(), 0);
  }

  private static List<Long> offsets(List<WriteBehind.Pending> batch) {
    return batch.stream().map(p -> p.item().offset()).toList();
  }

  @Test
  void theWatermarkStopsAtTheFirstItemNotRecordedAndMovesOnAsItemsAreRecorded() {
    WriteBehind w = new WriteBehind(new WriteBehind.Limits(10, 1 << 20, 2, 50));
    assertEquals(5, w.committable(5), "nothing written behind: every processed record is committable");
    w.add(item(5, 10), Duration.ZERO, 1);
    w.add(item(8, 10), Duration.ZERO, 2);
    // Records up to 11 are processed (handled, or turned into the items at 5 and 8).
    assertEquals(5, w.committable(12));
    List<WriteBehind.Pending> batch = w.nextBatch();
    assertEquals(List.of(5L, 8L), offsets(batch));
    assertEquals(5, w.committable(12), "sent is not written");
    w.written(batch);
    assertEquals(5, w.committable(12), "written is not recorded until each item is settled (a retry scheduled)");
    w.recorded(8);
    assertEquals(5, w.committable(12), "a later item recorded first does not let the watermark jump the earlier one");
    w.recorded(5);
    w.batchEnded();
    assertEquals(12, w.committable(12));
    assertFalse(w.behind());
    assertFalse(w.flushing());
  }

  @Test
  void theWatermarkNeverPassesTheRecordsProcessed() {
    WriteBehind w = new WriteBehind(WriteBehind.Limits.defaults());
    w.add(item(20, 10), Duration.ZERO, 1);
    assertEquals(3, w.committable(3));
    assertEquals(-1, w.committable(-1));
  }

  @Test
  void theHeadOfLineIsTheOldestItemNotRecorded() {
    WriteBehind w = new WriteBehind(WriteBehind.Limits.defaults());
    assertEquals(0, w.oldestUnrecordedNanos());
    assertEquals(-1, w.firstUnrecordedOffset());
    w.add(item(3, 10), Duration.ZERO, 111);
    w.add(item(4, 10), Duration.ZERO, 222);
    assertEquals(111, w.oldestUnrecordedNanos());
    assertEquals(3, w.firstUnrecordedOffset());
    w.recorded(3);
    assertEquals(222, w.oldestUnrecordedNanos());
    assertEquals(4, w.firstUnrecordedOffset());
  }

  @Test
  void anAttemptsStackTraceCountsTowardsTheItemsBytes() {
    QuarantineItem plain = item(0, 10);
    HandlerAttempt traced = new HandlerAttempt(NOW, HandlerAttempt.Tier.IN_PLACE, "E", "m",
        Optional.of("t".repeat(6_000)));
    QuarantineItem withTrace = new QuarantineItem(plain.id(), plain.status(), plain.stream(), plain.group(),
        plain.topic(), plain.partition(), plain.offset(), plain.key(), plain.payload(), plain.headers(),
        plain.eventId(), plain.eventType(), plain.reason(), plain.errorClass(), plain.errorMessage(),
        plain.violations(), 1, NOW, NOW, Optional.empty(), 0, plain.history(), List.of(traced), Optional.empty(),
        Optional.empty(), 0);
    assertTrue(ConsumerWrites.approximateBytes(withTrace) - ConsumerWrites.approximateBytes(plain) >= 6_000,
        "the trace's 6000 characters are counted");
  }

  @Test
  void batchesAreCutByCountAndBytesInOffsetOrderAndOnlySoManyAreInFlight() {
    long bytes = ConsumerWrites.approximateBytes(item(0, 1_000));
    WriteBehind w = new WriteBehind(new WriteBehind.Limits(3, bytes * 2, 2, 50));
    for (long o = 0; o < 7; o++) {
      w.add(item(o, 1_000), Duration.ZERO, 1);
    }
    assertTrue(w.batchDue());
    assertEquals(List.of(0L, 1L), offsets(w.nextBatch()), "cut at two items' bytes");
    assertEquals(List.of(2L, 3L), offsets(w.nextBatch()));
    assertEquals(List.of(), offsets(w.nextBatch()), "two in flight already");
    w.batchEnded();
    assertEquals(List.of(4L, 5L), offsets(w.nextBatch()));
  }

  @Test
  void anItemBiggerThanABatchStillGoesAloneAndAFailedBatchIsSentAgainFirst() {
    WriteBehind w = new WriteBehind(new WriteBehind.Limits(10, 100, 1, 50));
    w.add(item(0, 5_000), Duration.ZERO, 1);
    w.add(item(1, 5_000), Duration.ZERO, 1);
    List<WriteBehind.Pending> first = w.nextBatch();
    assertEquals(List.of(0L), offsets(first));
    w.batchEnded();
    w.sendAgain(first);
    assertEquals(List.of(0L), offsets(w.nextBatch()), "the failed item again, before the next");
  }

  @Test
  void theWorkerMustWaitWhenTooManyItemsAreNotRecorded() {
    WriteBehind w = new WriteBehind(new WriteBehind.Limits(2, 1 << 20, 1, 3));
    w.add(item(0, 1), Duration.ZERO, 1);
    w.add(item(1, 1), Duration.ZERO, 1);
    assertFalse(w.mustWait());
    w.add(item(2, 1), Duration.ZERO, 1);
    assertTrue(w.mustWait());
    List<WriteBehind.Pending> batch = w.nextBatch();
    w.written(batch);
    assertTrue(w.mustWait(), "written but not recorded still counts");
    batch.forEach(p -> w.recorded(p.item().offset()));
    w.batchEnded();
    assertFalse(w.mustWait());
  }

  @Test
  void anItemIsUnwrittenUntilItsBatchLands() {
    WriteBehind w = new WriteBehind(WriteBehind.Limits.defaults());
    QuarantineItem it = item(9, 1);
    w.add(it, Duration.ZERO, 1);
    assertTrue(w.unwritten(it.id()));
    List<WriteBehind.Pending> batch = w.nextBatch();
    assertTrue(w.unwritten(it.id()), "in flight is not landed");
    w.written(batch);
    assertFalse(w.unwritten(it.id()));
    assertTrue(w.unrecorded(9));
  }

  @Test
  void limitsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new WriteBehind.Limits(101, 1, 1, 200));
    assertThrows(IllegalArgumentException.class, () -> new WriteBehind.Limits(10, 1, 1, 5));
    assertThrows(IllegalArgumentException.class, () -> new WriteBehind.Limits(10, 1, 0, 50));
  }

  @Test
  void aRefusedBatchIsWrittenAgainItemByItem() {
    WriteBehind w = new WriteBehind(new WriteBehind.Limits(10, 1 << 20, 1, 50));
    for (long o = 0; o < 3; o++) {
      w.add(item(o, 10), Duration.ZERO, 0);
    }
    List<WriteBehind.Pending> refused = w.nextBatch();
    assertEquals(List.of(0L, 1L, 2L), offsets(refused));
    w.batchEnded();
    w.sendAgain(refused.stream().map(p -> p.as(p.item(), true)).toList());
    w.add(item(3, 10), Duration.ZERO, 0);
    for (long o = 0; o < 3; o++) {
      List<WriteBehind.Pending> alone = w.nextBatch();
      assertEquals(List.of(o), offsets(alone), "each refused item alone, which tells the one the store refuses");
      w.batchEnded();
    }
    assertEquals(List.of(3L), offsets(w.nextBatch()), "later items batch as usual");
    assertEquals(0, w.committable(4), "nothing is recorded yet");
  }

  @Test
  void itemsForTheLogAndForTheStoreNeverShareABatch() {
    WriteBehind w = new WriteBehind(WriteBehind.Limits.defaults().withMaxUnindexed(100));
    w.add(item(1, 10), Duration.ZERO, 1, true);
    w.add(item(2, 10), Duration.ZERO, 1, true);
    w.add(item(3, 10), Duration.ZERO, 1, false);
    w.add(item(4, 10), Duration.ZERO, 1, true);
    List<WriteBehind.Pending> first = w.nextBatch();
    assertEquals(List.of(1L, 2L), offsets(first));
    assertTrue(first.stream().allMatch(WriteBehind.Pending::viaLog));
    w.batchEnded();
    assertEquals(List.of(3L), offsets(w.nextBatch()));
    w.batchEnded();
    assertEquals(List.of(4L), offsets(w.nextBatch()));
  }

  @Test
  void anAppendedItemCountsAsUnwrittenUntilTheIndexerIsPastItsLogOffset() {
    WriteBehind w = new WriteBehind(WriteBehind.Limits.defaults().withMaxUnindexed(2));
    w.add(item(7, 10), Duration.ZERO, 1, true);
    w.add(item(9, 10), Duration.ZERO, 1, true);
    List<WriteBehind.Pending> batch = w.nextBatch();
    w.appended(batch, List.of(100L, 101L));
    w.recorded(7);
    w.recorded(9);
    w.batchEnded();
    assertEquals(10, w.committable(10), "durable in the log: committable");
    String first = item(7, 10).id();
    String second = item(9, 10).id();
    assertTrue(w.unwritten(first) && w.unwritten(second), "the store may not have them yet");
    assertTrue(w.mustWait(), "as many unindexed items as allowed: the partition waits for the indexer");
    w.indexedBelow(101);
    assertFalse(w.unwritten(first));
    assertTrue(w.unwritten(second));
    assertFalse(w.mustWait());
    w.indexedBelow(102);
    assertFalse(w.anyUnwritten());
    assertFalse(w.anyUnindexed());
  }
}
