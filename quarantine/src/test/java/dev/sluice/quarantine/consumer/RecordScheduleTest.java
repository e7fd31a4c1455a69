package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordScheduleTest {

  /** Records from {@code first} on, keyed as given (null: no key). */
  private static List<ConsumerRecord<byte[], byte[]>> records(long first, String... keys) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (int i = 0; i < keys.length; i++) {
      byte[] key = keys[i] == null ? null : keys[i].getBytes(StandardCharsets.UTF_8);
      out.add(new ConsumerRecord<>("t", 0, first + i, key, new byte[0]));
    }
    return out;
  }

  /** Starts every record that may start now; returns them in the order they started. */
  private static List<RecordSchedule.Slot> startAll(RecordSchedule s) {
    List<RecordSchedule.Slot> started = new ArrayList<>();
    RecordSchedule.Slot next;
    while ((next = s.next()) != null) {
      s.start(next);
      started.add(next);
    }
    return started;
  }

  private static List<Long> offsets(List<RecordSchedule.Slot> slots) {
    return slots.stream().map(RecordSchedule.Slot::offset).toList();
  }

  @Test
  void oneAtATimeTakesRecordsStrictlyInOffsetOrderWhateverTheirKeys() {
    RecordSchedule s = new RecordSchedule(1, true);
    s.add(records(10, "a", "b", "c"), 0);
    List<RecordSchedule.Slot> first = startAll(s);
    assertEquals(List.of(10L), offsets(first));
    s.done(first.get(0));
    assertEquals(List.of(11L), offsets(startAll(s)));
  }

  @Test
  void differentKeysStartSideBySideUpToTheLimit() {
    RecordSchedule s = new RecordSchedule(3, true);
    s.add(records(0, "a", "b", "c", "d"), 0);
    assertEquals(List.of(0L, 1L, 2L), offsets(startAll(s)));
    assertEquals(3, s.inHand());
    assertTrue(s.hasUnstarted());
  }

  @Test
  void aRecordWaitsBehindOneOfItsKeyInHandWhileLaterKeysGoAhead() {
    RecordSchedule s = new RecordSchedule(10, true);
    s.add(records(0, "a", "a", "b", "a", "c"), 0);
    List<RecordSchedule.Slot> started = startAll(s);
    assertEquals(List.of(0L, 2L, 4L), offsets(started));
    // The key's next record starts only when the one before it is done, and before any later record.
    s.done(started.get(1));
    assertEquals(List.of(), offsets(startAll(s)));
    s.done(started.get(0));
    List<RecordSchedule.Slot> then = startAll(s);
    assertEquals(List.of(1L), offsets(then));
    s.done(then.get(0));
    assertEquals(List.of(3L), offsets(startAll(s)));
  }

  @Test
  void theKeysNextRecordComesBeforeFreshRecordsOfOtherKeys() {
    RecordSchedule s = new RecordSchedule(2, true);
    s.add(records(0, "a", "a", "b", "c"), 0);
    List<RecordSchedule.Slot> started = startAll(s);
    assertEquals(List.of(0L, 2L), offsets(started));
    s.done(started.get(0));
    // One slot free: offset 1 (key a, waiting the longest) takes it, not offset 3.
    assertEquals(List.of(1L), offsets(startAll(s)));
  }

  @Test
  void keysCompareByContentNotByArrayIdentity() {
    RecordSchedule s = new RecordSchedule(5, true);
    s.add(records(0, "same", "same"), 0);
    assertEquals(List.of(0L), offsets(startAll(s)));
  }

  @Test
  void anUnorderedStreamAndRecordsWithoutKeysKeepNoOrder() {
    RecordSchedule unordered = new RecordSchedule(5, false);
    unordered.add(records(0, "a", "a", "a"), 0);
    assertEquals(List.of(0L, 1L, 2L), offsets(startAll(unordered)));

    RecordSchedule keyless = new RecordSchedule(5, true);
    keyless.add(records(0, null, null, "k", "k"), 0);
    assertEquals(List.of(0L, 1L, 2L), offsets(startAll(keyless)));
  }

  @Test
  void theWatermarkNeverPassesARecordNotDoneHoweverTheOthersFinish() {
    RecordSchedule s = new RecordSchedule(4, true);
    s.add(records(100, "a", "b", "c", "d"), 0);
    List<RecordSchedule.Slot> started = startAll(s);
    assertEquals(-1, s.watermark());
    s.done(started.get(3));
    s.done(started.get(1));
    assertEquals(100, s.watermark());
    s.done(started.get(0));
    assertEquals(102, s.watermark());
    s.done(started.get(2));
    assertEquals(104, s.watermark());
    assertNull(s.oldest());
  }

  @Test
  void aRecordDroppedUnfinishedHoldsTheWatermarkAsDoRecordsDroppedUnstarted() {
    RecordSchedule s = new RecordSchedule(2, true);
    s.add(records(0, "a", "b", "c"), 0);
    List<RecordSchedule.Slot> started = startAll(s);
    s.done(started.get(0));
    s.dropUnstarted();
    s.dropped(started.get(1));
    assertEquals(1, s.watermark());
    assertEquals(1, s.firstUnfinished());
    assertFalse(s.hasUnstarted());
    assertEquals(0, s.inHand());
  }

  @Test
  void restartingAtAnOffsetForgetsEverythingBeforeIt() {
    RecordSchedule s = new RecordSchedule(2, true);
    s.add(records(50, "a", "b"), 0);
    s.dropUnstarted();
    s.restartAt(20);
    assertEquals(20, s.watermark());
    s.add(records(20, "a"), 0);
    assertEquals(List.of(20L), offsets(startAll(s)));
    assertThrows(IllegalStateException.class, () -> s.restartAt(0));
  }

  @Test
  void theUncommittedSpanCountsEverythingFromTheFirstRecordNotDone() {
    RecordSchedule s = new RecordSchedule(3, true);
    s.add(records(0, "a", "b", "c"), 0);
    List<RecordSchedule.Slot> started = startAll(s);
    s.done(started.get(1));
    s.done(started.get(2));
    assertEquals(3, s.uncommittedSpan());
    s.done(started.get(0));
    assertEquals(0, s.uncommittedSpan());
  }

  @Test
  void onlyTheRecordNextGaveMayStart() {
    RecordSchedule s = new RecordSchedule(1, true);
    s.add(records(0, "a", "b"), 0);
    RecordSchedule.Slot first = s.next();
    s.start(first);
    assertThrows(IllegalStateException.class, () -> s.start(first));
  }

  @Test
  void aRecordSetBackStartsAgainFirstOfItsKeyAndHoldsTheWatermark() {
    RecordSchedule s = new RecordSchedule(3, true);
    s.add(records(0, "a", "b", "a", "c"), 0);
    List<RecordSchedule.Slot> started = startAll(s);
    assertEquals(List.of(0L, 1L, 3L), offsets(started));
    // b is done; a's record is set back (a storm holds it): not done, and a's next record still waits behind it.
    s.done(started.get(1));
    s.putBack(started.get(0));
    assertEquals(0, s.watermark(), "nothing past the record set back is committable");
    assertTrue(s.hasUnstarted());
    assertEquals(List.of(0L), offsets(startAll(s)), "the record set back starts again, before a's next one");
    s.done(started.get(2));
    s.done(s.oldest());
    assertEquals(List.of(2L), offsets(startAll(s)));
  }

  @Test
  void recordsSetBackStartAgainInOffsetOrder() {
    RecordSchedule s = new RecordSchedule(4, false);
    s.add(records(7, null, null, null, null), 0);
    List<RecordSchedule.Slot> inHand = startAll(s);
    for (int i : new int[] {2, 0, 3, 1}) {
      s.putBack(inHand.get(i));
    }
    assertEquals(List.of(7L, 8L, 9L, 10L), offsets(startAll(s)));
    assertEquals(7, s.firstUnfinished());
  }

  @Test
  void inStrictOrderARecordSetBackIsTheNextToStart() {
    RecordSchedule s = new RecordSchedule(1, false);
    s.add(records(5, "a", "b"), 0);
    RecordSchedule.Slot first = startAll(s).get(0);
    s.putBack(first);
    assertEquals(List.of(5L), offsets(startAll(s)));
  }
}
