package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.store.QuarantineStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * What the gauges of one partition show: head-of-line age, lag, staleness, open items, and whether a storm holds it.
 * The partition's worker and lanes
 * publish snapshots here on the consumer's context after every change; the gauges read them from any thread, so each
 * snapshot is a volatile field and nothing here reads the worker's own state.
 */
final class PartitionGauges implements ConsumerMetrics.PartitionView {
  private final ConsumerMetrics.PartitionMeters meters;
  private final DoubleSupplier clientLag;
  private final Clock clock;

  private volatile long oldestUnfinishedNanos;
  /** The offset of the first record not finished yet (the one in hand, or the next to fetch); -1 before any. */
  private volatile long firstUnfinishedOffset = -1;
  /** The partition's end offset, as last asked of the broker; -1 before the first answer. */
  private volatile long endOffset = -1;
  /** The same for items written behind: the oldest not durably recorded yet; 0 and -1 when there is none. */
  private volatile long oldestUnrecordedNanos;
  private volatile long firstUnrecordedOffset = -1;
  private volatile OpenCounts open = new OpenCounts(0, 0, 0, 0, 0);
  private volatile boolean stormHeld;
  /** Epoch millis of the newest event handled since the partition was assigned ({@link EventTime}); -1 before any. */
  private volatile long lastHandledEventMillis = -1;

  /** The open items by status, and when the oldest QUARANTINED one was quarantined (0 for none), as one snapshot. */
  private record OpenCounts(int retrying, int parked, int quarantined, int redriven, long oldestQuarantinedMillis) {}

  /** @param clientLag the Kafka client's own lag measure, for a partition that has not seen a record yet */
  PartitionGauges(ConsumerMetrics metrics, String topic, int partition, DoubleSupplier clientLag, Clock clock) {
    this.clientLag = clientLag;
    this.clock = clock;
    this.meters = metrics.partition(topic, partition, this);
  }

  ConsumerMetrics.PartitionMeters meters() {
    return meters;
  }

  /** The record in hand (or the first queued) was fetched at {@code nanos}; its offset is {@code offset}. */
  void unfinished(long nanos, long offset) {
    publish(nanos, offset);
  }

  /** Whether a record counts as unfinished now. */
  boolean anyUnfinished() {
    return oldestUnfinishedNanos != 0;
  }

  long oldestUnfinishedNanos() {
    return oldestUnfinishedNanos;
  }

  /** Every fetched record is finished; the next to fetch is {@code nextOffset}. */
  void caughtUp(long nextOffset) {
    publish(0, nextOffset);
  }

  /**
   * Writes only what changed: the worker publishes twice per record, mostly the same values (records of one poll share
   * their fetch time), and each volatile write costs a memory barrier on the happy path.
   */
  private void publish(long nanos, long offset) {
    if (oldestUnfinishedNanos != nanos) {
      oldestUnfinishedNanos = nanos;
    }
    if (firstUnfinishedOffset != offset) {
      firstUnfinishedOffset = offset;
    }
  }

  /** The oldest item not recorded yet counts as unfinished for the head-of-line age and the lag. */
  void behind(WriteBehind writes) {
    oldestUnrecordedNanos = writes.oldestUnrecordedNanos();
    firstUnrecordedOffset = writes.firstUnrecordedOffset();
  }

  void open(OpenItems items) {
    open = new OpenCounts(items.count(QuarantineStatus.RETRYING), items.count(QuarantineStatus.PARKED),
        items.count(QuarantineStatus.QUARANTINED), items.count(QuarantineStatus.REDRIVEN),
        items.oldestQuarantined().map(Instant::toEpochMilli).orElse(0L));
  }

  /** Whether a storm holds the partition now. */
  void stormHeld(boolean held) {
    stormHeld = held;
  }

  /** The partition's end offset, as the consumer last asked the broker. */
  void endOffset(long offset) {
    endOffset = offset;
  }

  /**
   * The handler accepted an event that happened at {@code eventMillis} (see {@link EventTime}). The newest event time
   * is kept, not the latest call's: with concurrency, records of other keys finish out of order, and a producer may
   * send an event dated earlier than one before it; the group's view holds everything up to the newest it handled.
   * Called on the consumer's context only, so the read and the write need no lock.
   */
  void handled(long eventMillis) {
    if (eventMillis > lastHandledEventMillis) {
      lastHandledEventMillis = eventMillis;
    }
  }

  @Override
  public double headOfLineAgeSeconds() {
    long record = oldestUnfinishedNanos;
    long item = oldestUnrecordedNanos;
    long since = record == 0 ? item : item == 0 ? record : Math.min(record, item);
    return since == 0 ? 0 : (System.nanoTime() - since) / 1e9;
  }

  /**
   * Records of the partition this consumer has not finished: from the first unfinished one (in hand, queued, or not
   * fetched yet) to the end of the partition. While the partition is paused this keeps growing with new records,
   * which the Kafka client's own {@code records-lag} (measured on fetches only) would not show; before this worker saw
   * any record it is the client's measure.
   */
  @Override
  public double lagRecords() {
    long end = endOffset;
    long unrecorded = firstUnrecordedOffset;
    long first = unrecorded >= 0 && unrecorded < firstUnfinishedOffset ? unrecorded : firstUnfinishedOffset;
    if (end < 0 || first < 0) {
      return clientLag.getAsDouble();
    }
    return Math.max(0, end - first);
  }

  /**
   * Now minus the event time of the newest event handled, while records wait ({@link #lagRecords} above 0); 0 when
   * the partition is caught up, however long ago its last event was: an idle group is not stale. Also 0 before this
   * owner handled any event of the partition (the head-of-line age and the lag speak for a partition stuck from its
   * start), and never negative (a producer clock ahead of ours).
   */
  @Override
  public double stalenessSeconds() {
    long last = lastHandledEventMillis;
    if (last < 0 || !(lagRecords() > 0)) {
      return 0;
    }
    return Math.max(0, clock.millis() - last) / 1000.0;
  }

  /** The event time of the newest event handled, in seconds since the epoch; NaN before any. */
  @Override
  public double lastHandledEventTimeSeconds() {
    long last = lastHandledEventMillis;
    return last < 0 ? Double.NaN : last / 1000.0;
  }

  @Override
  public double openItems(QuarantineStatus status) {
    OpenCounts now = open;
    return switch (status) {
      case RETRYING -> now.retrying();
      case PARKED -> now.parked();
      case QUARANTINED -> now.quarantined();
      case REDRIVEN -> now.redriven();
      default -> 0;
    };
  }

  @Override
  public double stormHeld() {
    return stormHeld ? 1 : 0;
  }

  @Override
  public double oldestQuarantinedAgeSeconds() {
    long at = open.oldestQuarantinedMillis();
    return at == 0 ? 0 : Math.max(0, clock.millis() - at) / 1000.0;
  }
}
