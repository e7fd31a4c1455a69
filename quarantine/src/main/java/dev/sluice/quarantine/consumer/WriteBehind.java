package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.ConsumerWrites;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The bookkeeping of one partition's new items written behind its records: a record that becomes an item (poison,
 * parked, quarantined or retrying) is finished at once as far as the handling goes, and its item waits here to be
 * written with others in one batch, while the partition's later records are handled. What makes that safe is the
 * committable watermark: nothing at or past the first item not yet durably recorded (written, and for a RETRYING item
 * handed to the retry queue) is ever committed, so a crash replays it and its idempotent write.
 *
 * <p>Pure bookkeeping, no I/O: the partition's worker sends the batches it hands out and reports back. Confined to the
 * worker's context.
 */
final class WriteBehind {
  /**
   * A new item waiting to be written, and for a RETRYING item the wait its retry was drawn with. {@code alone}: it is
   * written in a batch of its own, once a batch it was in was refused by the store (which item the store refused is
   * then told by writing each alone).
   */
  record Pending(QuarantineItem item, Duration retryDelay, long bytes, boolean alone, boolean viaLog) {
    /** The same, to be written as {@code item} (the same record, the same offset). */
    Pending as(QuarantineItem replacement, boolean writtenAlone) {
      return new Pending(replacement, retryDelay, ConsumerWrites.approximateBytes(replacement), writtenAlone, viaLog);
    }
  }

  /** How batches are cut and how far writing may fall behind. */
  record Limits(int maxBatchItems, long maxBatchBytes, int maxInFlight, int maxUnrecorded, int maxUnindexed) {
    Limits {
      if (maxBatchItems < 1 || maxBatchItems > ConsumerWrites.MAX_BATCH_ITEMS) {
        throw new IllegalArgumentException("maxBatchItems must be 1.." + ConsumerWrites.MAX_BATCH_ITEMS);
      }
      if (maxBatchBytes < 1 || maxInFlight < 1 || maxUnrecorded < maxBatchItems || maxUnindexed < 1) {
        throw new IllegalArgumentException("limits must be positive, and maxUnrecorded at least one batch");
      }
    }

    /** Without a quarantine log: nothing is ever appended to one. */
    Limits(int maxBatchItems, long maxBatchBytes, int maxInFlight, int maxUnrecorded) {
      this(maxBatchItems, maxBatchBytes, maxInFlight, maxUnrecorded, Integer.MAX_VALUE);
    }

    /**
     * A full transaction of 100 items, but at most 2 MB of them (a TransactWriteItems request may carry 4 MB, and
     * binary payloads grow when encoded); two batches in flight per partition, so the next one fills while one is
     * written (each holds a Vert.x worker thread while it is written, a pool the queue drainers' long polls share;
     * four in flight measured about 20 % more items/s against DynamoDB Local, within its noise); and at most 400
     * items behind, past which the partition waits (and stays paused) for the store.
     */
    static Limits defaults() {
      return new Limits(ConsumerWrites.MAX_BATCH_ITEMS, 2L * 1024 * 1024, 2, 400, Integer.MAX_VALUE);
    }

    /** With a quarantine log: at most {@code unindexed} items appended and not known to be in the store. */
    Limits withMaxUnindexed(int unindexed) {
      return new Limits(maxBatchItems, maxBatchBytes, maxInFlight, maxUnrecorded, unindexed);
    }
  }

  private final Limits limits;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private long waitingBytes;
  /**
   * Items not durably recorded yet (waiting, in a batch in flight, or written and not yet scheduled): their offsets,
   * each with when its record was fetched.
   */
  private final TreeMap<Long, Long> unrecorded = new TreeMap<>();
  /** Ids of items whose write has not landed yet: the store does not know them. */
  private final Set<String> unwritten = new HashSet<>();
  /**
   * Items appended to the quarantine log and not known to be in the store yet, by log offset: the store may not know
   * them either, until the indexer is past their offset.
   */
  private final TreeMap<Long, String> unindexed = new TreeMap<>();
  private final Set<String> unindexedIds = new HashSet<>();
  private int inFlight;

  WriteBehind(Limits limits) {
    this.limits = limits;
  }

  /**
   * A new item to write; its record counts as handled, but the watermark stays at or below its offset.
   * {@code fetchedAtNanos}: when its record was fetched ({@link System#nanoTime}), for the head-of-line age.
   */
  void add(QuarantineItem item, Duration retryDelay, long fetchedAtNanos) {
    add(item, retryDelay, fetchedAtNanos, false);
  }

  /** As {@link #add(QuarantineItem, Duration, long)}, to be appended to the quarantine log when {@code viaLog}. */
  void add(QuarantineItem item, Duration retryDelay, long fetchedAtNanos, boolean viaLog) {
    Pending p = new Pending(item, retryDelay, ConsumerWrites.approximateBytes(item), false, viaLog);
    waiting.add(p);
    waitingBytes += p.bytes();
    unrecorded.put(item.offset(), fetchedAtNanos);
    unwritten.add(item.id());
  }

  /** Whether a full batch waits: worth sending now rather than when the worker runs out of records. */
  boolean batchDue() {
    return waiting.size() >= limits.maxBatchItems() || waitingBytes >= limits.maxBatchBytes();
  }

  /** Whether writing fell so far behind that the worker must not take another record until a batch lands. */
  boolean mustWait() {
    return unrecorded.size() >= limits.maxUnrecorded() || unindexed.size() >= limits.maxUnindexed();
  }

  /**
   * The next batch to send, in offset order, or an empty list when nothing waits or enough batches are in flight. A
   * batch handed out counts as in flight until {@link #batchEnded}.
   */
  List<Pending> nextBatch() {
    if (waiting.isEmpty() || inFlight >= limits.maxInFlight()) {
      return List.of();
    }
    List<Pending> batch = new ArrayList<>(Math.min(waiting.size(), limits.maxBatchItems()));
    long bytes = 0;
    while (!waiting.isEmpty() && batch.size() < limits.maxBatchItems()) {
      Pending next = waiting.peek();
      // A batch takes at least one item, however big: a single item is a single conditional put. Items for the log
      // and items for the store never share a batch.
      if (!batch.isEmpty() && (next.alone() || bytes + next.bytes() > limits.maxBatchBytes()
          || next.viaLog() != batch.get(0).viaLog())) {
        break;
      }
      waiting.poll();
      waitingBytes -= next.bytes();
      bytes += next.bytes();
      batch.add(next);
      if (next.alone()) {
        break;
      }
    }
    inFlight++;
    return batch;
  }

  /** The batch's writes landed: its items are in the store (though a RETRYING one may not be scheduled yet). */
  void written(List<Pending> batch) {
    for (Pending p : batch) {
      unwritten.remove(p.item().id());
    }
  }

  /**
   * The batch was appended to the quarantine log ({@code logOffsets}, parallel to it): durable, but the store knows
   * its items only once the indexer is past their log offsets ({@link #indexedBelow}).
   */
  void appended(List<Pending> batch, List<Long> logOffsets) {
    for (int i = 0; i < batch.size(); i++) {
      String id = batch.get(i).item().id();
      unwritten.remove(id);
      unindexed.put(logOffsets.get(i), id);
      unindexedIds.add(id);
    }
  }

  /** The indexer wrote every item below {@code logOffset} into the store. */
  void indexedBelow(long logOffset) {
    while (!unindexed.isEmpty() && unindexed.firstKey() < logOffset) {
      unindexedIds.remove(unindexed.pollFirstEntry().getValue());
    }
  }

  /** Whether any item appended to the log is not known to be in the store yet. */
  boolean anyUnindexed() {
    return !unindexed.isEmpty();
  }

  int unindexed() {
    return unindexed.size();
  }

  /** The item of this offset is durably recorded (written, and scheduled if RETRYING): the watermark may pass it. */
  void recorded(long offset) {
    unrecorded.remove(offset);
  }

  /** A batch handed out by {@link #nextBatch} ended, whether it was recorded or not. */
  void batchEnded() {
    inFlight--;
  }

  /** A batch that could not be written goes back to the front, in its order, to be sent again. */
  void sendAgain(List<Pending> batch) {
    for (int i = batch.size() - 1; i >= 0; i--) {
      Pending p = batch.get(i);
      waiting.addFirst(p);
      waitingBytes += p.bytes();
    }
  }

  /**
   * The offset to commit given that every record before {@code processed} was handled or turned into an item: the
   * first offset whose item is not recorded yet, if that comes earlier.
   */
  long committable(long processed) {
    return unrecorded.isEmpty() ? processed : Math.min(processed, unrecorded.firstKey());
  }

  /** Whether the item of this offset is still not durably recorded. */
  boolean unrecorded(long offset) {
    return unrecorded.containsKey(offset);
  }

  /** The offset of the first item not recorded yet, or -1. */
  long firstUnrecordedOffset() {
    return unrecorded.isEmpty() ? -1 : unrecorded.firstKey();
  }

  /** When the record of the first item not recorded yet was fetched, or 0 when every item is recorded. */
  long oldestUnrecordedNanos() {
    return unrecorded.isEmpty() ? 0 : unrecorded.firstEntry().getValue();
  }

  /** Whether this item's write has not landed yet, or it is in the log and maybe not in the store yet. */
  boolean unwritten(String id) {
    return (!unwritten.isEmpty() && unwritten.contains(id)) || (!unindexedIds.isEmpty() && unindexedIds.contains(id));
  }

  /** Whether the store may not know some item yet (see {@link #unwritten}). */
  boolean anyUnwritten() {
    return !unwritten.isEmpty() || !unindexedIds.isEmpty();
  }

  /** Whether any item is not recorded yet. */
  boolean behind() {
    return !unrecorded.isEmpty();
  }

  /** Whether a batch is being written or scheduled. */
  boolean flushing() {
    return inFlight > 0;
  }

  int waiting() {
    return waiting.size();
  }
}
