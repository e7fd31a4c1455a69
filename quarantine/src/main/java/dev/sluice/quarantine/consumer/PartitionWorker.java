package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.replay.Replay;
import dev.sluice.quarantine.replay.ReplayState;
import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.ConsumerWrites;
import dev.sluice.quarantine.store.OpenItem;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.Settlement;
import dev.sluice.quarantine.store.StoreException;
import dev.sluice.quarantine.store.StoreRefusal;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record pipeline of one assigned partition: works through its records, strictly in order.
 *
 * <p>Life: created when the partition is assigned (or its first records arrive); it first loads the partition's open
 * items from the store and reads the group's replay (retrying through an outage), and handles nothing before that, so
 * a key held back by another process before a rebalance is still held back here, and a replayed record is flagged.
 * Stopped when the partition is revoked: whatever it was doing is abandoned uncommitted, and the next owner replays it
 * (every write is idempotent by record).
 *
 * <p>Per record: skip it if it is an open item already (a replay); triage it once; park it if an open item of its key
 * comes first (key-ordered streams; the partition's {@link PartitionLanes} keep that guard); otherwise quarantine
 * poison, or hand it to the handler with in-place retries and record a failure as QUARANTINED or RETRYING. A record
 * counts as done, and its offset as committable, only once it was handled or its item durably written (store and
 * queue calls are retried through an outage meanwhile; the partition stays paused as long as it has queued records).
 *
 * <p>New items are written behind ({@link WriteBehind}): a record that becomes an item is tracked as open at once (so
 * a later record of its key parks behind it, exactly as if the write had landed), and the worker goes on with the
 * next records while the items are written in batches, one conditional transaction per batch. The committable offset
 * never passes the first item not yet durably recorded; writing that falls too far behind (an outage) stops the
 * worker, and so keeps the partition paused. Nothing that reads the store acts on an item whose write has not landed
 * (a release, or the re-read that would take a missing item for one an operator deleted).
 *
 * <p>Releases of parked items, once the head of their key's lane settles, are the lanes' job ({@link PartitionLanes});
 * the pipeline tells them of each item it records, and they run beside it.
 *
 * <p>Storms. Each record's outcome is judged by the partition's storm breaker ({@link PartitionBreaker}): when one
 * failure fingerprint floods the partition, a record failing with it is held back instead of written (set back in the
 * schedule, not done, so nothing past it is committed), and the worker takes no more records, which keeps the
 * partition paused, until an operator lifts the storm.
 *
 * <p>Rewinds. When the group's replay is a rewind due on this partition ({@link #replayRead}), the worker moves the
 * partition back without leaving the group: it drops its queued records, lets the record in hand and its item writes
 * finish, has its owner pause, seek and commit on the Kafka client's thread, records the partition rewound, and takes
 * records again from there. Its records below the rewind's end are then the rewind's pass: their items get ids of
 * their own, and the first pass's open items of those offsets are set aside, then settled in the store as the pass
 * settles their events (see docs/replay.md).
 *
 * <p>Confined to the consumer's Vert.x context: all fields are touched on it only; the gauges read the snapshots
 * published to {@link PartitionGauges}.
 */
final class PartitionWorker {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionWorker.class);
  /** How often a new owner asks how far the quarantine log's indexer is, while it waits for it. */
  private static final Duration INDEX_POLL = Duration.ofMillis(200);

  /** What the worker needs from its consumer. */
  interface Owner {
    /** The worker has no queued record left: resume the partition and commit. */
    void idle(PartitionWorker worker);

    /**
     * Rewinds the partition on the Kafka client's thread: pauses it, seeks it to {@code start} or, if earlier,
     * {@code resumeAt} (where the worker's unfinished records begin; when empty, the group's committed offset), and
     * commits that offset as the group's. Completes on the consumer's context with the offset seeked to and where the
     * unfinished work began.
     */
    Future<SeekedBack> seekBack(TopicPartition tp, long start, OptionalLong resumeAt);

    /**
     * How many more records of a partition the front end may still deliver after its worker said it wants no more: a
     * poll it asked for before it learnt so. A worker with concurrency says so that much earlier, so that it never
     * takes more than its window plus one poll's worth.
     */
    int pollAhead();

    /** An owner made of a front end's two methods, that pauses a partition before it polls again. */
    static Owner of(Consumer<PartitionWorker> idle, SeekBack seekBack) {
      return of(idle, seekBack, 0);
    }

    /** An owner made of a front end's two methods, that may deliver {@code pollAhead} records past a pause. */
    static Owner of(Consumer<PartitionWorker> idle, SeekBack seekBack, int pollAhead) {
      return new Owner() {
        @Override
        public void idle(PartitionWorker worker) {
          idle.accept(worker);
        }

        @Override
        public Future<SeekedBack> seekBack(TopicPartition tp, long start, OptionalLong resumeAt) {
          return seekBack.seekBack(tp, start, resumeAt);
        }

        @Override
        public int pollAhead() {
          return pollAhead;
        }
      };
    }
  }

  /** {@link Owner#seekBack}, as a front end's method. */
  @FunctionalInterface
  interface SeekBack {
    Future<SeekedBack> seekBack(TopicPartition tp, long start, OptionalLong resumeAt);
  }

  /**
   * Where a rewind moved a partition: {@code to}, the offset seeked to and committed, is {@code min(start,
   * unfinishedAt)}; {@code unfinishedAt} is where the group's unfinished work began (everything below it was handled
   * or durably recorded).
   */
  record SeekedBack(long to, long unfinishedAt) {
    /** A rewind to {@code start} of a partition whose unfinished work begins at {@code unfinishedAt}. */
    static SeekedBack of(long start, long unfinishedAt) {
      return new SeekedBack(Math.min(start, unfinishedAt), unfinishedAt);
    }
  }

  /**
   * REWINDING: a rewind of the group is moving the partition back; records queued or fetched before the seek are
   * dropped (they come again after it) and nothing is committed until the partition is rewound.
   */
  private enum State { LOADING, READY, REWINDING, STOPPED }

  private final ConsumerParts parts;
  private final Owner owner;
  private final String topic;
  private final int partition;
  private final String stream;
  private final RecordSchedule schedule;
  /** Whether records may be in hand side by side (of different keys): then new ones are fetched while some are. */
  private final boolean concurrent;
  /**
   * At most this many records from the first one not done on may be taken (fetched, in hand, or done after it), plus
   * one poll's worth: what a crash would deliver again, and what one slow record may hold back while other keys move
   * on. The worker wants no more records once its span could pass this with what its front end may still deliver
   * ({@link Owner#pollAhead}).
   */
  private final int maxSpan;
  private final int pollAhead;
  /** {@link #wake}, made once: the consumer's slots are asked for one per record. */
  private final Runnable wakeUp = this::wake;
  private final WriteBehind writes;
  /** The quarantine log's partition of this partition's items, or -1 without a log. */
  private final int logPartition;
  private final PartitionGauges gauges;
  private final PartitionCalls calls;
  private final PartitionLanes lanes;
  private final PartitionBreaker breaker;
  private final ReplayGauges replayGauges;

  private State state = State.LOADING;
  /** A record waits for its rate-cap token: nothing starts until it is due. */
  private boolean pacing;
  /** The owner was told the worker wants records ({@link Owner#idle}) and none came since. */
  private boolean idleSaid;
  private long committed = -1;
  private Promise<Void> stopped;
  /** The offset of the queued record whose rate-cap token is booked (it waits for it); -1 for none. */
  private long pacedOffset = -1;
  /** While REWINDING: completes once no record is in hand and every item taken is written. */
  private Promise<Void> quiet;
  /**
   * From the start of a rewind until the partition is rewound, even if the worker stops meanwhile (a revocation):
   * its last commit must not move the group back to where the partition was before the rewind's own commit.
   */
  private boolean rewinding;
  /** The rewind whose pass the partition's records below the rewind's end belong to, once it is rewound. */
  private Optional<RewindPass> pass = Optional.empty();
  /**
   * The first pass's open items the pass set aside and has not settled yet, by offset: once the pass settles the
   * event of one, it settles the item in the store too, or the item would hold its key again after the rewind; if
   * the pass passes the event over (outside its slice), the item holds its key again from there.
   */
  private final Map<Long, OpenItem> firstPassOpen = new HashMap<>();

  PartitionWorker(ConsumerParts parts, Owner owner, String topic, int partition, DoubleSupplier lag) {
    this.parts = parts;
    this.owner = owner;
    this.topic = topic;
    this.partition = partition;
    this.stream = parts.triage().streamOf(topic);
    this.gauges = new PartitionGauges(parts.metrics(), topic, partition, lag, parts.clock());
    parts.metrics().startAtZero(stream);
    this.calls = new PartitionCalls(parts, this::live);
    this.logPartition = parts.log().map(l -> l.partitionFor(parts.config().group(), topic, partition)).orElse(-1);
    this.writes = new WriteBehind(parts.log()
        .map(l -> WriteBehind.Limits.defaults().withMaxUnindexed(l.settings().maxUnindexed()))
        .orElse(WriteBehind.Limits.defaults()));
    this.lanes = new PartitionLanes(new PartitionLanes.Parts(parts, topic, partition, stream, writes, calls, gauges));
    this.breaker = new PartitionBreaker(new PartitionBreaker.Parts(parts, topic, partition, stream, calls, gauges,
        this::wake));
    this.replayGauges = new ReplayGauges(parts.metrics(), topic, partition);
    Concurrency limits = parts.config().concurrency();
    this.concurrent = limits.concurrent();
    this.schedule = new RecordSchedule(limits.perPartition(),
        parts.triage().orderingOf(topic) == OrderingPolicy.KEY_ORDERED);
    this.maxSpan = window(parts.config());
    this.pollAhead = owner.pollAhead();
  }

  /**
   * With concurrency, how many records from the first one not done on a partition may take at most (in hand, waiting
   * behind their key, or done after it): four polls' worth, and at least twice the per-partition limit. A record
   * that takes long (in-place retries, a slow call) lets the records of other keys move on this far; past it the
   * partition waits for it. It bounds the memory held and what a crash delivers again.
   */
  static int window(WrapperConfig config) {
    return Math.max(4 * config.maxPollRecords(), 2 * config.concurrency().perPartition());
  }

  String topic() {
    return topic;
  }

  int partition() {
    return partition;
  }

  /**
   * Loads the partition's open items and reads the group's replay and storms, then works through whatever was queued
   * meanwhile: the replay flag of the partition's first record is known before it is handled, and a storm that held
   * the partition under its previous owner holds it here too.
   */
  void start() {
    // With a quarantine log, items the partition's previous owner appended may not be in the store yet: the open
    // items are loaded once the indexer has written everything appended for this partition until now.
    Future<Void> indexed = logPartition < 0 ? Future.succeededFuture()
        : calls.untilDone("waiting for the quarantine log's indexer (" + topic + "-" + partition + ")", stream,
            () -> parts.log().orElseThrow().awaitIndexed(logPartition, INDEX_POLL));
    Future<List<OpenItem>> open = indexed.compose(v -> calls.untilDone("loading open items of " + topic + "-"
        + partition, stream, () -> parts.store().openItems(parts.config().group(), topic, partition)));
    Future<?> replay = calls.untilDone("reading the replay of group " + parts.config().group(), stream,
        () -> parts.replays().read());
    Future<?> storms = calls.untilDone("reading the storms of group " + parts.config().group(), stream,
        () -> parts.storms().read());
    Future.all(open, replay, storms)
        .onSuccess(both -> {
          if (state == State.STOPPED) {
            return;
          }
          state = State.READY;
          lanes.start(open.result());
          // A rewind due here starts before any record is handled; a partition rewound by its previous owner goes
          // on with the rewind's pass.
          replayRead(parts.replays().current());
          processNext();
        })
        .onFailure(err -> LOG.debug("group {}: {}-{} stopped while loading: {}", parts.config().group(), topic,
            partition, err.toString()));
  }

  /**
   * Queues records fetched for this partition (the consumer pauses the partition until the worker is idle, which it
   * says once it has started all it was given: with concurrency, while some are still in hand).
   */
  void enqueue(List<ConsumerRecord<byte[], byte[]>> records) {
    take(records);
    processNext();
  }

  /**
   * Queues records fetched for this partition without starting any: the caller starts them with {@link #wake} once it
   * has done what must come first (the Vert.x front end asks the client for its next poll, so that the client fetches
   * and decodes the next records on its own thread while these are handled).
   */
  void take(List<ConsumerRecord<byte[], byte[]>> records) {
    if (state == State.REWINDING || records.isEmpty()) {
      // Fetched before the seek: read again after it.
      return;
    }
    schedule.add(records, System.nanoTime());
    idleSaid = false;
    if (!gauges.anyUnfinished()) {
      RecordSchedule.Slot oldest = schedule.oldest();
      gauges.unfinished(oldest.fetchedAtNanos(), oldest.offset());
    }
  }

  /** Whether the worker has records it has not started yet (or may not take more now): its partition stays paused. */
  boolean busy() {
    return !wantsRecords();
  }

  /**
   * Whether more records are welcome. In strict order: none waits and none is in hand. With concurrency: none waits
   * that could start (records set aside behind a key in hand do not hold the others back), and the partition's
   * records from the first one not done on are within the {@link #window}, with what the front end may still deliver
   * ({@link Owner#pollAhead}) counted in.
   */
  private boolean wantsRecords() {
    if (state == State.REWINDING || pacing || breaker.holds()) {
      return false;
    }
    if (!concurrent) {
      return !schedule.hasUnstarted() && schedule.inHand() == 0;
    }
    return !schedule.hasStartable() && schedule.uncommittedSpan() + pollAhead < maxSpan;
  }

  /**
   * Where a commit may go: past every record handled or recorded, never past a record not done or an item not
   * durably recorded yet. Nothing while the partition is being rewound: a commit of where it was would undo the
   * rewind's own commit.
   */
  long committable() {
    return rewinding ? -1 : writes.committable(schedule.watermark());
  }

  long committed() {
    return committed;
  }

  void committed(long offset) {
    committed = Math.max(committed, offset);
  }

  /** Stops after the record in hand (its outcome is not committed). Completes when that record is done. */
  Future<Void> stop() {
    if (state == State.STOPPED) {
      return stopped == null ? Future.succeededFuture() : stopped.future();
    }
    state = State.STOPPED;
    stopped = Promise.promise();
    lanes.stop();
    schedule.dropUnstarted();
    gauges.meters().close();
    replayGauges.close();
    completeStopIfQuiet();
    return stopped.future();
  }

  /** A stopping worker is done once no record is in hand and no batch is being written. */
  private void completeStopIfQuiet() {
    if (state == State.STOPPED && !pacing && schedule.inHand() == 0 && !writes.flushing()) {
      stopped.tryComplete();
    }
  }

  private boolean live() {
    return state != State.STOPPED;
  }

  /** Samples the replay meters' rates over the last lane refresh ({@code now}: nanoTime). */
  void sampleReplay(long now) {
    if (live()) {
      replayGauges.sample(parts.replays().current(), now);
    }
  }

  /**
   * Takes up whatever may start now: records just {@link #take taken}, or held ones once a replay's hold, a storm or
   * the consumer's limit lifted (a no-op when nothing may start).
   */
  void wake() {
    processNext();
  }

  /** An item of this partition changed in this process (a retry or redrive settled it). */
  void itemChanged(QuarantineItem item) {
    lanes.itemChanged(item);
  }

  /** The partition's end offset, as the consumer last asked the broker. */
  void endOffset(long offset) {
    gauges.endOffset(offset);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Records from Kafka

  /**
   * Works through the queue: starts every record that may start now (in offset order, except that a record waits
   * behind one of its key in hand; at most as many at once as the concurrency allows, per partition and per
   * consumer). Records whose handling completes at once (a synchronous handler) are taken in a loop, not by
   * recursion, so a long queue never deepens the stack.
   */
  private void processNext() {
    while (state == State.READY && !pacing) {
      if (calls.inTrouble() || writes.mustWait()) {
        // The store is down, or writing fell far behind: take nothing more until a batch lands. The queued records
        // keep the partition paused.
        flushWaiting();
        return;
      }
      if (breaker.holds()) {
        // A storm holds the partition until an operator acts: the records queued (and those set back) keep it paused
        // in Kafka, and nothing past the first of them is committed. The records in hand finish.
        flushWaiting();
        return;
      }
      RecordSchedule.Slot next = schedule.next();
      if (next == null) {
        // Nothing may start now: none waits, or as many as may be are in hand, or the rest wait behind their keys.
        flushWaiting();
        if (wantsRecords() && !idleSaid) {
          idleSaid = true;
          headGauge();
          owner.idle(this);
        }
        return;
      }
      if (parts.replays().holds(topic, partition, next.offset())) {
        // The group's replay is paused or halted and this record is history: hold it. The queued records keep the
        // partition paused in Kafka (a front end resumes a partition only when its worker goes idle, whatever else
        // paused it), so nothing more of it is fetched, nothing is handled and nothing past it committed. Not
        // unfinished work either: the head-of-line age stays quiet while an operator holds the replay.
        if (schedule.inHand() == 0) {
          gauges.caughtUp(next.offset());
        }
        flushWaiting();
        return;
      }
      if (!parts.slots().take(wakeUp)) {
        // The consumer has as many records in hand as it may: the worker is woken when a slot is given back.
        flushWaiting();
        return;
      }
      if (mustWaitForToken(next.offset())) {
        // Its rate-cap token is not due yet: the worker is woken when it is.
        parts.slots().give();
        flushWaiting();
        return;
      }
      schedule.start(next);
      headGauge();
      Future<Void> done = handleRecord(next.record());
      if (done.isComplete()) {
        finish(next, done.cause());
        if (writes.batchDue()) {
          flushWaiting();
        }
      } else {
        // The handler is asynchronous: the items gathered so far need not wait for it, and, with concurrency, the
        // next records of other keys start beside it.
        done.onComplete(ar -> {
          finish(next, ar.cause());
          processNext();
        });
      }
    }
  }

  /** The head-of-line gauges follow the first record not done, or say the partition caught up. */
  private void headGauge() {
    RecordSchedule.Slot oldest = schedule.oldest();
    if (oldest == null) {
      gauges.caughtUp(schedule.lastOffset() + 1);
    } else {
      gauges.unfinished(oldest.fetchedAtNanos(), oldest.offset());
    }
  }

  /**
   * Whether the record at {@code offset} must wait for its rate-cap token (a replayed record under a capped replay):
   * then the worker takes nothing until the token is due. The queued records keep the partition paused meanwhile.
   */
  private boolean mustWaitForToken(long offset) {
    if (offset == pacedOffset) {
      return false;
    }
    long waitNanos = parts.replays().pace(topic, partition, offset);
    if (waitNanos <= 0) {
      return false;
    }
    pacedOffset = offset;
    pacing = true;
    parts.vertx().setTimer(Math.max(1, waitNanos / 1_000_000), t -> {
      pacing = false;
      if (state == State.STOPPED) {
        completeStopIfQuiet();
      } else if (state == State.REWINDING) {
        // A rewind began while the record waited for its token: the record was dropped with the queue, and the
        // rewind waits for nothing in hand.
        completeQuietIfRewinding();
      } else {
        processNext();
      }
    });
    return true;
  }

  /**
   * The record in hand ended: {@code failure} is null when it was handled or recorded. A record a stopping worker
   * finishes is not counted done (its outcome is not committed; the next owner reads it again).
   */
  private void finish(RecordSchedule.Slot p, Throwable failure) {
    if (state == State.STOPPED) {
      leaveHand(p, false);
      completeStopIfQuiet();
      return;
    }
    if (state == State.REWINDING) {
      // A record that was neither handled nor recorded is read again after the seek, like the dropped ones.
      leaveHand(p, failure == null);
      flushWaiting();
      completeQuietIfRewinding();
      return;
    }
    if (failure == StormHeld.HELD) {
      // Neither handled nor recorded: taken again, first of its key, once the storm is lifted.
      schedule.putBack(p);
      parts.slots().give();
      headGauge();
      return;
    }
    if (failure == null) {
      leaveHand(p, true);
      ConsumerRecord<byte[], byte[]> r = p.record();
      parts.replays().flaggedBy(topic, partition, r.offset()).ifPresent(id -> {
        replayGauges.finished(r.offset(), r.timestamp());
        parts.replays().watch().finished(id, partition, Instant.ofEpochMilli(r.timestamp()));
      });
    } else {
      // Only a bug gets here (outages are retried inside): keep the record in hand, so the later records of its key
      // wait behind it and nothing past it is committed, and try it again later.
      LOG.error("group {}: {}-{}@{} neither handled nor recorded, trying again", parts.config().group(), topic,
          partition, p.record().offset(), failure);
      parts.vertx().setTimer(parts.config().errorBackoff().toMillis(), t -> {
        if (state != State.READY) {
          finish(p, failure);
          return;
        }
        Future<Void> again = handleRecord(p.record());
        again.onComplete(ar -> {
          finish(p, ar.cause());
          processNext();
        });
      });
    }
  }

  /** The record leaves the hand, done (handled or recorded) or not; its consumer slot is given back. */
  private void leaveHand(RecordSchedule.Slot p, boolean done) {
    if (done) {
      schedule.done(p);
    } else {
      schedule.dropped(p);
    }
    parts.slots().give();
    headGauge();
  }

  private Future<Void> handleRecord(ConsumerRecord<byte[], byte[]> record) {
    // In a rewind's pass, the first pass's open items are set aside: an open item here is the pass's own.
    if (lanes.isOpen(record.offset())) {
      // A replay (after a crash or rebalance) of a record whose item is open: it is recorded already. Its first
      // pass's item may not be settled yet (the crash came between the two writes).
      return settleFirstPass(record.offset(), passOf(record.offset()).map(id -> QuarantineItem.idFor(
          parts.config().group(), topic, partition, record.offset(), Optional.of(id))));
    }
    try {
      return divertOrHandle(record);
    } catch (RuntimeException bug) {
      return Future.failedFuture(bug);
    }
  }

  private Future<Void> divertOrHandle(ConsumerRecord<byte[], byte[]> record) {
    byte[] rawKey = record.key();
    Optional<String> key = rawKey == null ? Optional.empty() : Optional.of(new String(rawKey, StandardCharsets.UTF_8));
    // History outside the slice of the group's replay is passed over: neither handled nor quarantined, and done at
    // once, in its place, so the offset moves past it in order, never past an earlier record not yet done. Judged
    // before parking (a record never handled has no place in its key's order), and by time and key before the record
    // is decoded, so a slice by time or key costs no decoding of what it passes over.
    Instant time = Instant.ofEpochMilli(record.timestamp());
    if (parts.replays().skipsAnyType(topic, partition, record.offset(), time, key)) {
      return skipped(record.offset());
    }
    // One copy of the headers, immutable, shared by the triage, the handler's event and any item (List.copyOf in
    // ConsumedEvent keeps an immutable list as it is).
    Header[] raw = record.headers().toArray();
    KafkaHeader[] copied = new KafkaHeader[raw.length];
    for (int i = 0; i < raw.length; i++) {
      copied[i] = new KafkaHeader(raw[i].key(), raw[i].value());
    }
    List<KafkaHeader> headers = List.of(copied);
    // Judged once: the verdict travels with the record through every retry of a write below.
    Triage.Verdict verdict = parts.triage().triage(topic, headers, record.value());
    if (parts.replays().skips(topic, partition, record.offset(), time, key, typeOf(verdict))) {
      return skipped(record.offset());
    }
    if (verdict instanceof Triage.Poison p) {
      parts.metrics().poisonJudged(p.stream(), p.reason());
    }
    Optional<String> replayed = parts.replays().flaggedBy(topic, partition, record.offset());
    if (lanes.mustPark(key, record.offset())) {
      replayed.ifPresent(id -> parts.replays().watch().read(id, true));
      return writeBehind(parts.diversions().parkedItem(source(verdict, record, key, headers), verdict,
          lanes.headOf(key.get())), Duration.ZERO);
    }
    if (verdict instanceof Triage.Poison poison) {
      return quarantinePoison(poison, record, key, headers, replayed);
    }
    Triage.Ready ready = (Triage.Ready) verdict;
    // Unsealed after the parking check (a parked event is unsealed when it is released), through a key outage.
    Future<EventUnsealer.Outcome> opened = calls.unsealed(ready);
    if (opened.succeeded()) {
      // Nothing sealed, or the key in memory: no continuation.
      return handleOpened(opened.result(), ready, record, key, headers, replayed);
    }
    return opened.compose(o -> handleOpened(o, ready, record, key, headers, replayed));
  }

  /** Poison goes to the quarantine, unless a storm holds the partition. */
  private Future<Void> quarantinePoison(Triage.Poison poison, ConsumerRecord<byte[], byte[]> record,
      Optional<String> key, List<KafkaHeader> headers, Optional<String> replayed) {
    QuarantineItem item = parts.diversions().poisonItem(source(poison, record, key, headers), poison);
    if (breaker.judge(item) == PartitionBreaker.Verdict.HOLD) {
      return Future.failedFuture(StormHeld.HELD);
    }
    replayed.ifPresent(id -> parts.replays().watch().read(id, true));
    return writeBehind(item, Duration.ZERO);
  }

  /**
   * Hands the event, as unsealed, to the handler; a seal failure is poison (judged now, as the triage's poison is when
   * the record is read). The item of either is made of the record as read from Kafka, sealed.
   */
  private Future<Void> handleOpened(EventUnsealer.Outcome opened, Triage.Ready ready,
      ConsumerRecord<byte[], byte[]> record, Optional<String> key, List<KafkaHeader> headers,
      Optional<String> replayed) {
    if (opened instanceof EventUnsealer.Failed failed) {
      parts.metrics().poisonJudged(failed.poison().stream(), failed.poison().reason());
      return quarantinePoison(failed.poison(), record, key, headers, replayed);
    }
    EventUnsealer.Open open = (EventUnsealer.Open) opened;
    ConsumedEvent event = new ConsumedEvent(open.event(), open.stream(), parts.config().group(), topic, partition,
        record.offset(), key, false, ConsumedEvent.Delivery.KAFKA, 0, headers, replayed.isPresent());
    Future<HandlerInvoker.Outcome> handled = parts.invoker().invoke(event);
    if (handled.succeeded()) {
      // A synchronous handler: no continuation to allocate and schedule.
      return afterHandler(handled.result(), ready, record, key, headers, replayed);
    }
    return handled.compose(outcome -> afterHandler(outcome, ready, record, key, headers, replayed));
  }

  /** The record's CloudEvent type, if it could be read (poison that is no CloudEvent has none). */
  private static Optional<String> typeOf(Triage.Verdict verdict) {
    return verdict instanceof Triage.Ready ready ? Optional.of(ready.event().type())
        : ((Triage.Poison) verdict).eventType();
  }

  private Future<Void> skipped(long offset) {
    parts.metrics().replaySkipped(stream);
    // Its first pass's item, if open, still stands for the event: it holds its key again for the later records.
    OpenItem firstPass = firstPassOpen.remove(offset);
    if (firstPass != null) {
      lanes.track(firstPass);
      lanes.publish();
    }
    return Future.succeededFuture();
  }

  /** @param replayed the replay that flagged the event, whose counts its outcome goes to */
  private Future<Void> afterHandler(HandlerInvoker.Outcome outcome, Triage.Ready ready,
      ConsumerRecord<byte[], byte[]> record, Optional<String> key, List<KafkaHeader> headers,
      Optional<String> replayed) {
    gauges.meters().inPlaceAttempts(outcome.attempts());
    if (outcome instanceof HandlerInvoker.Handled) {
      parts.metrics().handled(ready.stream());
      // The group's view now holds this event: the staleness gauge measures from its event time.
      gauges.handled(EventTime.millis(ready.event(), record));
      breaker.passed();
      replayed.ifPresent(id -> parts.replays().watch().read(id, false));
      return settleFirstPass(record.offset(), Optional.empty());
    }
    Diversions.Decided decided = parts.diversions().afterInPlace(outcome, 0);
    QuarantineItem item = parts.diversions().itemFor(source(ready, record, key, headers),
        Optional.of(ready.event().id()), Optional.of(ready.event().type()), decided.settlement());
    if (breaker.judge(item) == PartitionBreaker.Verdict.HOLD) {
      return Future.failedFuture(StormHeld.HELD);
    }
    // A retried event is not diverted yet: only a quarantine counts against the replay now.
    replayed.ifPresent(id -> parts.replays().watch().read(id,
        decided.settlement() instanceof Settlement.Quarantined));
    return writeBehind(item, decided.delay());
  }

  /** What an item is made of; built only for a record that becomes one. */
  private Diversions.Source source(Triage.Verdict verdict, ConsumerRecord<byte[], byte[]> record,
      Optional<String> key, List<KafkaHeader> headers) {
    return new Diversions.Source(verdict.stream(), topic, partition, record.offset(), key, record.value(), headers,
        passOf(record.offset()));
  }

  /**
   * Takes a new item to write behind, and tracks it as open at once: from now on a later record of its key parks
   * behind it, as if it were written. Its record is done; the watermark holds the commit below it until it is recorded.
   */
  private Future<Void> writeBehind(QuarantineItem made, Duration retryDelay) {
    QuarantineItem item = made;
    if (!ConsumerWrites.fits(made)) {
      // Measured before writing: the store would refuse it for good, and the partition could never commit past it.
      parts.metrics().storeRefusal(stream, StoreRefusal.ITEM_TOO_LARGE);
      item = withPayloadInKafka(made, "the item would be bigger than the store takes");
    }
    // A QUARANTINED item only waits for an operator: with a quarantine log, it is appended there, durable at the
    // broker's pace, and indexed into the store behind. Other items are acted on from the store (a release reads the
    // parked ones, a delayed retry its RETRYING one), so they are written there first.
    boolean viaLog = logPartition >= 0 && item.status() == QuarantineStatus.QUARANTINED;
    writes.add(item, retryDelay, gauges.oldestUnfinishedNanos(), viaLog);
    lanes.track(OpenItem.of(item));
    gauges.behind(writes);
    return Future.succeededFuture();
  }

  /** Sends the waiting items, as many batches as may be in flight. */
  private void flushWaiting() {
    while (live()) {
      List<WriteBehind.Pending> batch = writes.nextBatch();
      if (batch.isEmpty()) {
        return;
      }
      flush(batch);
    }
  }

  /**
   * Writes one batch (retrying through an outage), then settles each of its items in offset order. A replay finds
   * items already written and tracks them as they stand.
   */
  private void flush(List<WriteBehind.Pending> batch) {
    List<QuarantineItem> items = new ArrayList<>(batch.size());
    batch.forEach(p -> items.add(p.item()));
    String what = "recording " + items.size() + " item(s) of " + topic + "-" + partition + " from offset "
        + items.get(0).offset();
    send(batch, items, what)
        .compose(existing -> {
          List<Future<Void>> scheduling = new ArrayList<>();
          EnumMap<QuarantineStatus, Integer> created = new EnumMap<>(QuarantineStatus.class);
          for (int i = 0; i < batch.size(); i++) {
            Future<Void> recorded = settleWritten(batch.get(i), existing.get(i));
            if (!recorded.isComplete()) {
              scheduling.add(recorded);
            }
            if (existing.get(i).isEmpty()) {
              created.merge(items.get(i).status(), 1, Integer::sum);
            }
          }
          lanes.publish();
          LOG.info("group {}: {}-{}@{}..{}: {} item(s) written, {} new {}", parts.config().group(), topic, partition,
              items.get(0).offset(), items.get(items.size() - 1).offset(), items.size(),
              created.values().stream().mapToInt(Integer::intValue).sum(), created);
          return scheduling.isEmpty() ? Future.<Void>succeededFuture() : Future.all(scheduling).<Void>mapEmpty();
        })
        .onComplete(ar -> {
          writes.batchEnded();
          if (state == State.STOPPED) {
            completeStopIfQuiet();
            return;
          }
          if (state == State.REWINDING && ar.succeeded()) {
            flushWaiting();
            completeQuietIfRewinding();
            return;
          }
          if (ar.failed()) {
            List<WriteBehind.Pending> again = new ArrayList<>();
            batch.forEach(p -> {
              if (writes.unrecorded(p.item().offset())) {
                again.add(p);
              }
            });
            if (ar.cause() instanceof StoreException.Refused refused && refusedAgain(again, refused)) {
              flushWaiting();
              processNext();
              return;
            }
            // Only a bug gets here (outages are retried inside; a batch is either written whole or not at all, and a
            // cancelled one is written item by item), or an item the store refuses even without its payload: send
            // what is not recorded again later, committing nothing past.
            LOG.error("group {}: {} failed, trying again", parts.config().group(), what, ar.cause());
            writes.sendAgain(again);
            parts.vertx().setTimer(parts.config().errorBackoff().toMillis(), t -> {
              flushWaiting();
              processNext();
            });
            return;
          }
          gauges.behind(writes);
          flushWaiting();
          // The worker may have stopped taking records while writing was behind.
          processNext();
        });
  }

  /**
   * Writes a batch to the store, or appends it to the quarantine log (retrying through an outage either way). The
   * answer is parallel to the batch: the item already stored under an item's id, if any (always empty for the log,
   * whose indexer writes each id once).
   */
  private Future<List<Optional<QuarantineItem>>> send(List<WriteBehind.Pending> batch, List<QuarantineItem> items,
      String what) {
    if (!batch.get(0).viaLog()) {
      return calls.untilWritten(what, stream, () -> parts.writes().createAllIfAbsent(items))
          .onSuccess(existing -> writes.written(batch));
    }
    return calls.untilWritten(what + " to the quarantine log", stream,
            () -> parts.log().orElseThrow().append(logPartition, items))
        .map(offsets -> {
          writes.appended(batch, offsets);
          List<Optional<QuarantineItem>> none = new ArrayList<>(items.size());
          items.forEach(i -> none.add(Optional.empty()));
          return none;
        });
  }

  /**
   * The store refused a batch for good ({@link StoreException.Refused}); {@code again} are its items not recorded.
   * Several: each is written alone, which tells the one refused. One: it is written without its payload, which its
   * record keeps in Kafka. Whether either was possible; not when the item refused already had no payload (then only
   * a slow retry is left, and nothing past it is committed).
   */
  private boolean refusedAgain(List<WriteBehind.Pending> again, StoreException.Refused refused) {
    if (again.size() > 1) {
      LOG.warn("group {}: the store refused a batch of {} item(s) of {}-{} ({}): writing each alone",
          parts.config().group(), again.size(), topic, partition, refused.reason());
      writes.sendAgain(again.stream().map(p -> p.as(p.item(), true)).toList());
      return true;
    }
    if (again.size() == 1 && again.get(0).item().payloadStored() && again.get(0).item().partition() >= 0) {
      WriteBehind.Pending p = again.get(0);
      QuarantineItem without = withPayloadInKafka(p.item(), "the store refused the item (" + refused.reason() + ")");
      lanes.track(OpenItem.of(without));
      writes.sendAgain(List.of(p.as(without, true)));
      return true;
    }
    return again.isEmpty();
  }

  /**
   * {@code item} without its payload, kept by its Kafka record, with why in its history ({@code why}). The record's
   * retention is what keeps the payload from then on.
   */
  private QuarantineItem withPayloadInKafka(QuarantineItem item, String why) {
    LOG.warn("group {}: {}-{}@{}: {}; writing its item without the payload ({} bytes), which stays in Kafka",
        parts.config().group(), topic, partition, item.offset(), why, item.payload().length);
    return item.withPayloadInKafka(new AuditEntry(parts.clock().instant(), "PAYLOAD_IN_KAFKA",
        parts.diversions().actor(), why + ": the payload (" + item.payload().length + " bytes) is kept in Kafka at "
            + topic + "-" + partition + "@" + item.offset() + ", not in the store"));
  }

  /**
   * One item of a written batch: counted if it is new, tracked as it stands in the store, released if it is parked
   * and its head settled meanwhile; a RETRYING item is then handed to the retry queue. Its offset is recorded when
   * all that is done.
   */
  private Future<Void> settleWritten(WriteBehind.Pending pending, Optional<QuarantineItem> existing) {
    QuarantineItem item = pending.item();
    QuarantineItem stored = existing.orElse(item);
    if (state == State.STOPPED) {
      // Written, but the partition is gone: its next owner reloads it.
      writes.recorded(item.offset());
      return Future.succeededFuture();
    }
    if (existing.isEmpty()) {
      count(item);
    } else {
      // A replay: the store's word replaces what was assumed when the record was read.
      lanes.track(OpenItem.of(stored));
    }
    if (item.status() == QuarantineStatus.PARKED) {
      parts.metrics().parked(item.stream());
    }
    // In a rewind's pass, the item now carries the event: its first pass's item is superseded before the offset is
    // recorded (at once when there is none).
    Future<Void> superseded = settleFirstPass(item.offset(), Optional.of(item.id()));
    if (stored.status() != QuarantineStatus.RETRYING) {
      Future<Void> recorded = superseded.onSuccess(v -> writes.recorded(item.offset()));
      // A parked item's head may have settled while it was being written (or, on a replay, long before): then
      // nothing else would start the release. A replayed head found settled frees the items parked behind it.
      stored.key().ifPresent(lanes::release);
      return recorded;
    }
    // Also for a replayed RETRYING item: its message may have been lost in the crash; a duplicate is stale.
    return superseded.compose(v -> calls.scheduleRetry(stored, pending.retryDelay()))
        .onSuccess(v -> writes.recorded(item.offset()));
  }

  private void count(QuarantineItem item) {
    switch (item.status()) {
      case QUARANTINED -> parts.metrics().quarantined(item.stream(), item.reason());
      case RETRYING -> parts.metrics().retryScheduled(item.stream());
      default -> { }
    }
    // Per item at debug only: a poison storm would otherwise write a log line per poison record; each batch is
    // summed up at info.
    if (item.status() != QuarantineStatus.PARKED && LOG.isDebugEnabled()) {
      LOG.debug("group {}: {}-{}@{} is {} ({}: {})", parts.config().group(), topic, partition, item.offset(),
          item.status(), item.reason(), item.errorMessage());
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rewinds of a running group

  /** A rewind's pass over this partition: its records below {@code end} are delivered again, as its own. */
  private record RewindPass(String replayId, long end) {}

  /** The rewind that reads the record at {@code offset} again, if one does: its item gets an id of its own. */
  private Optional<String> passOf(long offset) {
    return pass.filter(p -> offset < p.end()).map(RewindPass::replayId);
  }

  /**
   * The group's replay was read (on assignment, and on every lane refresh). A rewind due on this partition rewinds
   * it; a rewind that another instance applied to it already (before a rebalance) is joined: its pass goes on here.
   */
  void replayRead(Optional<Replay> read) {
    if (state != State.READY || read.isEmpty() || !read.get().plan().topic().equals(topic)) {
      return;
    }
    Replay replay = read.get();
    if (replay.rewindDue(partition)) {
      rewind(replay);
    } else if (pass.isEmpty() && replay.state() == ReplayState.RUNNING && replay.rewind().rewound(partition)) {
      joinPass(replay, replay.rewind().rewoundAt().get(partition));
    }
  }

  /**
   * Moves the partition back to the rewind's start: takes no more records (those queued are dropped), lets the record
   * in hand finish and every item taken be written, then has the front end seek the partition back and commit there
   * (never past a record that was neither handled nor durably recorded), records the partition rewound in the replay
   * (conditional: a partition is rewound once), and takes records again, from there.
   */
  private void rewind(Replay replay) {
    state = State.REWINDING;
    rewinding = true;
    schedule.dropUnstarted();
    quiet = Promise.promise();
    flushWaiting();
    completeQuietIfRewinding();
    TopicPartition tp = new TopicPartition(topic, partition);
    long start = replay.plan().startOf(partition);
    LOG.info("group {}: rewinding {}-{} for replay {}: to offset {} or before", parts.config().group(), topic,
        partition, replay.id(), start);
    quiet.future()
        .compose(v -> calls.untilDone("seeking " + tp + " back", stream,
            () -> owner.seekBack(tp, start, resumeAt())))
        .compose(target -> calls.untilDone("recording " + tp + " rewound", stream,
                () -> parts.replays().store().orElseThrow().rewound(replay, partition, target.to(),
                    target.unfinishedAt()))
            .map(written -> {
              // Written, or rewound by another instance first, or the replay ended: the pass is this one either way.
              written.ifPresent(r -> parts.replays().changed(Optional.of(r)));
              return target;
            }))
        .onComplete(ar -> {
          if (state != State.REWINDING) {
            return;
          }
          if (ar.failed()) {
            // Only a stop gets here (every call is tried again while the partition is live).
            LOG.debug("group {}: rewinding {} abandoned: {}", parts.config().group(), tp, ar.cause().toString());
            return;
          }
          long target = ar.result().to();
          schedule.restartAt(target);
          committed = target;
          idleSaid = false;
          joinPass(replay, target);
          rewinding = false;
          state = State.READY;
          LOG.info("group {}: {} rewound to offset {} for replay {}", parts.config().group(), tp, target,
              replay.id());
          processNext();
        });
  }

  /**
   * Where the records not done yet begin: past every record handled or recorded, or, before any, the first record
   * queued; empty when none came yet (the group's committed offset then).
   */
  private OptionalLong resumeAt() {
    long first = schedule.firstUnfinished();
    return first >= 0 ? OptionalLong.of(writes.committable(first)) : OptionalLong.empty();
  }

  private void completeQuietIfRewinding() {
    if (state == State.REWINDING && !pacing && schedule.inHand() == 0 && !writes.flushing()
        && writes.waiting() == 0) {
      quiet.tryComplete();
    }
  }

  /**
   * From now on the partition's records below the rewind's end are the pass's: the first pass's open items from
   * {@code from} to the end are set aside here (they stay in the store as they are, readable and redrivable), so they
   * neither park the events they were made of, nor later ones of their keys; the pass's own items hold lanes as usual.
   */
  private void joinPass(Replay replay, long from) {
    long end = replay.plan().endOf(partition);
    pass = Optional.of(new RewindPass(replay.id(), end));
    firstPassOpen.putAll(lanes.setAside(from, end, offset -> QuarantineItem.idFor(parts.config().group(), topic,
        partition, offset, Optional.of(replay.id()))));
  }

  /**
   * The pass settled its event at {@code offset}: it handled it ({@code passItem} empty), or made an item of its own
   * of it. Settles the first pass's item of that offset, if one was set aside, with a conditional write: RESOLVED, or
   * superseded by the pass's item. The record counts as done only once that is written, so no commit passes an event
   * whose stale item would hold its key back after the rewind. An item someone else settled first, or that is being
   * redriven, is left as it is.
   */
  private Future<Void> settleFirstPass(long offset, Optional<String> passItem) {
    if (firstPassOpen.isEmpty()) {
      // No rewind's pass: nothing to settle (and no boxed offset to look up, once per record).
      return Future.succeededFuture();
    }
    OpenItem aside = firstPassOpen.get(offset);
    if (aside == null || pass.isEmpty()) {
      return Future.succeededFuture();
    }
    String firstPass = aside.id();
    String rewindId = pass.get().replayId();
    return calls.untilWritten("settling the first pass's item " + firstPass + " of " + topic + "-" + partition + "@"
            + offset, stream,
            () -> parts.writes().settleFirstPass(firstPass, rewindId, passItem, parts.diversions().actor()))
        .map(settled -> {
          LOG.info("group {}: {}-{}@{}: the first pass's item {} is {} by rewind {}", parts.config().group(), topic,
              partition, offset, firstPass, settled.status(), rewindId);
          return (Void) null;
        })
        // Settled or moved by someone else first; a refusal is no answer of that kind, and the record stays undone.
        .recover(err -> err instanceof StoreException && !(err instanceof StoreException.Refused)
            ? Future.succeededFuture() : Future.failedFuture(err))
        .onSuccess(v -> firstPassOpen.remove(offset, aside));
  }
}
