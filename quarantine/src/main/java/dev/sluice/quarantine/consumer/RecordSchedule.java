package dev.sluice.quarantine.consumer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The records of one partition from when they are fetched until they are done: which one may start next, and how far
 * the partition is done without a gap.
 *
 * <p>Records of one key start one after another, in offset order: a record whose key has one in hand waits behind it
 * and starts when that one is done, before any later record of another key. Records of different keys start side by
 * side, up to {@code perPartition} at once. With {@code perPartition} 1 every record waits for the one before it:
 * strictly in offset order, and keys are not even looked at. Records without a key, and every record of an unordered
 * stream ({@code byKey} false), have no order to keep.
 *
 * <p>Done, for the watermark: handled, or turned into an item (whose write {@link WriteBehind} tracks). The watermark
 * is the offset of the first record taken and not done; records taken but dropped unstarted (a rewind, a stop) stay
 * not done, so nothing past them is committable.
 *
 * <p>Pure bookkeeping, no I/O and no clock: the partition's worker starts and finishes the records. Confined to the
 * worker's context.
 */
final class RecordSchedule {
  /** A fetched record, and when it was fetched ({@link System#nanoTime}), for the head-of-line age. */
  static final class Slot {
    private final ConsumerRecord<byte[], byte[]> record;
    private final long fetchedAtNanos;
    /** Its key's identity for the ordering (content equality), or null when it has no order to keep. */
    private final Object key;
    private boolean done;

    private Slot(ConsumerRecord<byte[], byte[]> record, long fetchedAtNanos, Object key) {
      this.record = record;
      this.fetchedAtNanos = fetchedAtNanos;
      this.key = key;
    }

    ConsumerRecord<byte[], byte[]> record() {
      return record;
    }

    long offset() {
      return record.offset();
    }

    long fetchedAtNanos() {
      return fetchedAtNanos;
    }
  }

  private final int perPartition;
  private final boolean byKey;
  /** Fetched and not looked at yet, in offset order. */
  private final ArrayDeque<Slot> fresh = new ArrayDeque<>();
  /** Records whose key's earlier record was done: they start before any fresh record. */
  private final ArrayDeque<Slot> ready = new ArrayDeque<>();
  /** Per key with a record in hand, or next in {@link #ready}: the later records of that key, in offset order. */
  private final Map<Object, ArrayDeque<Slot>> behind = new HashMap<>();
  /** Keys with a record in hand, or one in {@link #ready}. */
  private final Set<Object> busy = new HashSet<>();
  /** Every record taken and not done, with the done ones after the first not done: the watermark's ledger. */
  private final ArrayDeque<Slot> ledger = new ArrayDeque<>();
  private int unstarted;
  private int inHand;
  private long lastOffset = -1;
  private boolean anyDone;

  /**
   * @param perPartition how many records may be in hand at once
   * @param byKey whether records of one key keep their order (a key-ordered stream); else none do
   */
  RecordSchedule(int perPartition, boolean byKey) {
    if (perPartition < 1) {
      throw new IllegalArgumentException("perPartition must be at least 1");
    }
    this.perPartition = perPartition;
    this.byKey = byKey && perPartition > 1;
  }

  /** Takes fetched records, in offset order. */
  void add(Iterable<ConsumerRecord<byte[], byte[]>> records, long fetchedAtNanos) {
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Slot s = new Slot(r, fetchedAtNanos, byKey && r.key() != null ? ByteBuffer.wrap(r.key()) : null);
      fresh.add(s);
      ledger.add(s);
      unstarted++;
      lastOffset = r.offset();
    }
  }

  /**
   * The record that may start now, or null: none waits, as many as may be are in hand, or every one waiting is
   * behind a record of its key. Records behind a busy key are set aside on the way, so the next call is not slowed
   * by them. The record stays where it is until {@link #start}.
   */
  Slot next() {
    if (inHand >= perPartition) {
      return null;
    }
    if (!ready.isEmpty()) {
      return ready.peek();
    }
    while (!fresh.isEmpty()) {
      Slot s = fresh.peek();
      if (s.key == null || !busy.contains(s.key)) {
        return s;
      }
      fresh.poll();
      behind.computeIfAbsent(s.key, k -> new ArrayDeque<>()).add(s);
    }
    return null;
  }

  /** The record {@link #next} gave is handed to the handler: it is in hand until {@link #done} or {@link #dropped}. */
  void start(Slot s) {
    if (!ready.isEmpty() && ready.peek() == s) {
      ready.poll();
    } else if (fresh.peek() == s) {
      fresh.poll();
      if (s.key != null) {
        busy.add(s.key);
      }
    } else {
      throw new IllegalStateException("only the record next() gave may start");
    }
    unstarted--;
    inHand++;
  }

  /** The record in hand is done: the next record of its key may start, and the watermark may pass it. */
  void done(Slot s) {
    leaveHand(s);
    s.done = true;
    anyDone = true;
    while (!ledger.isEmpty() && ledger.peek().done) {
      ledger.poll();
    }
  }

  /**
   * The record in hand left it without being done (its partition is stopping or being rewound): it stays not done,
   * so nothing past it is committable, and it is read again after the seek or by the next owner.
   */
  void dropped(Slot s) {
    leaveHand(s);
  }

  /**
   * The record in hand is set back, not done (a storm holds it back): it is the first of its key to start again (its
   * key stays busy, so the later records of the key keep waiting behind it), before any fresh record, in offset order
   * with the others set back; the watermark stays below it.
   */
  void putBack(Slot s) {
    inHand--;
    unstarted++;
    if (ready.isEmpty() || ready.peekLast().offset() < s.offset()) {
      ready.addLast(s);
      return;
    }
    ArrayDeque<Slot> sorted = new ArrayDeque<>(ready.size() + 1);
    boolean placed = false;
    for (Slot r : ready) {
      if (!placed && s.offset() < r.offset()) {
        sorted.add(s);
        placed = true;
      }
      sorted.add(r);
    }
    ready.clear();
    ready.addAll(sorted);
  }

  private void leaveHand(Slot s) {
    inHand--;
    if (s.key == null) {
      return;
    }
    ArrayDeque<Slot> later = behind.get(s.key);
    if (later == null) {
      busy.remove(s.key);
      return;
    }
    // The key stays busy: its next record is first in line.
    ready.add(later.poll());
    if (later.isEmpty()) {
      behind.remove(s.key);
    }
  }

  /**
   * Drops every record not started (they stay not done, and so hold the watermark). The records in hand finish, or
   * are dropped, as they end.
   */
  void dropUnstarted() {
    fresh.clear();
    ready.clear();
    behind.clear();
    busy.clear();
    unstarted = 0;
  }

  /**
   * Forgets every record: the partition was moved to {@code next}, and everything before it counts as done. Only
   * with none in hand.
   */
  void restartAt(long next) {
    if (inHand > 0) {
      throw new IllegalStateException("records are still in hand");
    }
    dropUnstarted();
    ledger.clear();
    lastOffset = next - 1;
    anyDone = true;
  }

  /** The offset of the first record taken and not done; past the last one taken when all are; -1 before any. */
  long firstUnfinished() {
    if (!ledger.isEmpty()) {
      return ledger.peek().offset();
    }
    return lastOffset < 0 ? -1 : lastOffset + 1;
  }

  /** The first unfinished offset once any record is done (so a commit there moves something); -1 before. */
  long watermark() {
    return anyDone ? firstUnfinished() : -1;
  }

  /** The first record taken and not done, or null. */
  Slot oldest() {
    return ledger.peek();
  }

  /** Records taken and not done, and done ones after the first not done: what a crash would deliver again. */
  int uncommittedSpan() {
    return ledger.size();
  }

  /** The offset of the last record taken; -1 before any. */
  long lastOffset() {
    return lastOffset;
  }

  boolean hasUnstarted() {
    return unstarted > 0;
  }

  /**
   * Whether a record waits that is not set aside behind one of its key: one that may start as soon as the limit
   * allows. Records set aside wait for their key only, however many more records are fetched.
   */
  boolean hasStartable() {
    return !ready.isEmpty() || !fresh.isEmpty();
  }

  int inHand() {
    return inHand;
  }
}
