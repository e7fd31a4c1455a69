package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.queue.RetryQueue;
import dev.sluice.quarantine.store.OpenItem;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.Settlement;
import dev.sluice.quarantine.store.StoreException;
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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works through the records of one assigned partition, strictly in order, and owns the partition's ordering guard.
 *
 * <p>Life: created when the partition is assigned (or its first records arrive); it first loads the partition's open
 * items from the store (retrying through an outage), and handles nothing before that, so a key held back by another
 * process before a rebalance is still held back here. Stopped when the partition is revoked: whatever it was doing is
 * abandoned uncommitted, and the next owner replays it (every write is idempotent by record).
 *
 * <p>Per record: skip it if it is an open item already (a replay); triage it once; park it if an open item of its key
 * comes first (key-ordered streams); otherwise quarantine poison, or hand it to the handler with in-place retries and
 * record a failure as QUARANTINED or RETRYING. A record counts as done, and its offset as committable, only once it
 * was handled or its item durably written (store and queue calls are retried through an outage meanwhile; the
 * partition stays paused as long as it has queued records).
 *
 * <p>New items are written behind ({@link WriteBehind}): a record that becomes an item is tracked as open at once (so
 * a later record of its key parks behind it, exactly as if the write had landed), and the worker goes on with the
 * next records while the items are written in batches, one conditional transaction per batch. The committable offset
 * never passes the first item not yet durably recorded; writing that falls too far behind (an outage) stops the
 * worker, and so keeps the partition paused. Nothing that reads the store acts on an item whose write has not landed
 * (a release, or the re-read that would take a missing item for one an operator deleted).
 *
 * <p>Releases: when the head of a key's lane settles (RESOLVED or DISCARDED, learned from this process's retry and
 * redrive drainers at once, or from a periodic re-read of the store), the parked items of that key are handled in
 * offset order, each as a first delivery; one that fails becomes the new head and stops the release.
 *
 * <p>Confined to the consumer's Vert.x context: all fields are touched on it only, except the snapshot fields read
 * by the gauges.
 */
final class PartitionWorker implements ConsumerMetrics.PartitionView {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionWorker.class);

  /** What the worker needs from its consumer. */
  interface Owner {
    /** The worker has no queued record left: resume the partition and commit. */
    void idle(PartitionWorker worker);
  }

  private enum State { LOADING, READY, STOPPED }

  private record Pending(ConsumerRecord<byte[], byte[]> record, long fetchedAtNanos) {}

  private final ConsumerParts parts;
  private final Owner owner;
  private final String topic;
  private final int partition;
  private final String stream;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final OpenItems open = new OpenItems();
  private final Set<String> releasing = new HashSet<>();
  private final ConsumerMetrics.PartitionMeters meters;
  private final DoubleSupplier lag;

  private State state = State.LOADING;
  private boolean processing;
  /**
   * A write or scheduling call of this partition failed and is being tried again: the store or queue is down or
   * struggling, so the worker takes no more records (and the partition stays paused) until it lands.
   */
  private boolean storeTrouble;
  private boolean refreshing;
  private long refreshes;
  private long refreshTimer = -1;
  /** The offset after the last record handled or turned into an item; -1 before any. */
  private long processed = -1;
  private final WriteBehind writes = new WriteBehind(WriteBehind.Limits.defaults());
  private long committed = -1;
  private Promise<Void> stopped;

  // Snapshots for the gauges, published on the context after every change, read from any thread.
  private volatile long oldestUnfinishedNanos;
  /** The offset of the first record not finished yet (the one in hand, or the next to fetch); -1 before any. */
  private volatile long firstUnfinishedOffset = -1;
  /** The partition's end offset, as last asked of the broker; -1 before the first answer. */
  private volatile long endOffset = -1;
  /** The same for items written behind: the oldest not durably recorded yet; 0 and -1 when there is none. */
  private volatile long oldestUnrecordedNanos;
  private volatile long firstUnrecordedOffset = -1;
  private long lastEnqueuedOffset = -1;
  private volatile int retrying;
  private volatile int parked;
  private volatile int quarantined;
  private volatile int redriven;
  private volatile long oldestQuarantinedMillis;

  PartitionWorker(ConsumerParts parts, Owner owner, String topic, int partition, DoubleSupplier lag) {
    this.parts = parts;
    this.owner = owner;
    this.topic = topic;
    this.partition = partition;
    this.stream = parts.triage().streamOf(topic);
    this.lag = lag;
    this.meters = parts.metrics().partition(topic, partition, this);
    parts.metrics().startAtZero(stream);
  }

  String topic() {
    return topic;
  }

  int partition() {
    return partition;
  }

  /** Loads the partition's open items, then works through whatever was queued meanwhile. */
  void start() {
    parts.outage().untilDone("loading open items of " + topic + "-" + partition, stream, this::live,
            () -> parts.store().openItems(parts.config().group(), topic, partition))
        .onSuccess(items -> {
          if (state == State.STOPPED) {
            return;
          }
          boolean keyOrdered = keyOrdered();
          items.forEach(i -> open.track(i, keyOrdered));
          state = State.READY;
          publish();
          if (!items.isEmpty()) {
            LOG.info("group {}: {}-{} assigned with {} open item(s), {} key(s) held back", parts.config().group(),
                topic, partition, items.size(), open.blockedKeys());
          }
          scheduleRefresh();
          releaseAll();
          processNext();
        })
        .onFailure(err -> LOG.debug("group {}: {}-{} stopped while loading: {}", parts.config().group(), topic,
            partition, err.toString()));
  }

  /** Queues records fetched for this partition (the consumer pauses the partition until the worker is idle). */
  void enqueue(List<ConsumerRecord<byte[], byte[]>> records) {
    long now = System.nanoTime();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      queue.add(new Pending(r, now));
      lastEnqueuedOffset = r.offset();
    }
    if (oldestUnfinishedNanos == 0 && !queue.isEmpty()) {
      oldestUnfinishedNanos = queue.peek().fetchedAtNanos();
      firstUnfinishedOffset = queue.peek().record().offset();
    }
    processNext();
  }

  boolean busy() {
    return processing || !queue.isEmpty();
  }

  /** Where a commit may go: past every record handled or recorded, never past an item not durably recorded yet. */
  long committable() {
    return writes.committable(processed);
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
    if (refreshTimer >= 0) {
      parts.vertx().cancelTimer(refreshTimer);
    }
    queue.clear();
    meters.close();
    completeStopIfQuiet();
    return stopped.future();
  }

  /** A stopping worker is done once no record is in hand and no batch is being written. */
  private void completeStopIfQuiet() {
    if (state == State.STOPPED && !processing && !writes.flushing()) {
      stopped.tryComplete();
    }
  }

  private boolean live() {
    return state != State.STOPPED;
  }

  private boolean keyOrdered() {
    return parts.triage().orderingOf(topic) == OrderingPolicy.KEY_ORDERED;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Records from Kafka

  /**
   * Works through the queue. Records whose handling completes at once (a synchronous handler) are taken in a loop,
   * not by recursion, so a long queue never deepens the stack.
   */
  private void processNext() {
    while (state == State.READY && !processing) {
      if (storeTrouble || writes.mustWait()) {
        // The store is down, or writing fell far behind: take nothing more until a batch lands. The queued records
        // keep the partition paused.
        flushWaiting();
        return;
      }
      Pending next = queue.poll();
      if (next == null) {
        oldestUnfinishedNanos = 0;
        firstUnfinishedOffset = lastEnqueuedOffset + 1;
        flushWaiting();
        owner.idle(this);
        return;
      }
      oldestUnfinishedNanos = next.fetchedAtNanos();
      firstUnfinishedOffset = next.record().offset();
      processing = true;
      Future<Void> done = handleRecord(next.record());
      if (done.isComplete()) {
        finish(next, done.cause());
        if (writes.batchDue()) {
          flushWaiting();
        }
      } else {
        // The handler is asynchronous: the items gathered so far need not wait for it.
        flushWaiting();
        done.onComplete(ar -> {
          finish(next, ar.cause());
          processNext();
        });
        return;
      }
    }
  }

  /** {@code failure} is null when the record was handled or recorded. */
  private void finish(Pending p, Throwable failure) {
    processing = false;
    if (state == State.STOPPED) {
      completeStopIfQuiet();
      return;
    }
    if (failure == null) {
      processed = p.record().offset() + 1;
    } else {
      // Only a bug gets here (outages are retried inside): keep the record first in line and try it again later,
      // committing nothing past it.
      LOG.error("group {}: {}-{}@{} neither handled nor recorded, trying again", parts.config().group(), topic,
          partition, p.record().offset(), failure);
      queue.addFirst(p);
      processing = true;
      parts.vertx().setTimer(parts.config().errorBackoff().toMillis(), t -> {
        processing = false;
        processNext();
      });
    }
  }

  private Future<Void> handleRecord(ConsumerRecord<byte[], byte[]> record) {
    if (open.containsOffset(record.offset())) {
      // A replay (after a crash or rebalance) of a record whose item is open: it is recorded already.
      return Future.succeededFuture();
    }
    try {
      return divertOrHandle(record);
    } catch (RuntimeException bug) {
      return Future.failedFuture(bug);
    }
  }

  private Future<Void> divertOrHandle(ConsumerRecord<byte[], byte[]> record) {
    // One copy of the headers, immutable, shared by the triage, the handler's event and any item (List.copyOf in
    // ConsumedEvent keeps an immutable list as it is).
    Header[] raw = record.headers().toArray();
    KafkaHeader[] copied = new KafkaHeader[raw.length];
    for (int i = 0; i < raw.length; i++) {
      copied[i] = new KafkaHeader(raw[i].key(), raw[i].value());
    }
    List<KafkaHeader> headers = List.of(copied);
    byte[] rawKey = record.key();
    Optional<String> key = rawKey == null ? Optional.empty() : Optional.of(new String(rawKey, StandardCharsets.UTF_8));
    // Judged once: the verdict travels with the record through every retry of a write below.
    Triage.Verdict verdict = parts.triage().triage(topic, headers, record.value());
    if (verdict instanceof Triage.Poison p) {
      parts.metrics().poisonJudged(p.stream(), p.reason());
    }
    // The happy path: no key held back, so nothing more than that emptiness check. Otherwise one map lookup.
    if (open.anyBlocked() && key.isPresent() && open.mustPark(key.get(), record.offset()) && keyOrdered()) {
      return writeBehind(parts.diversions().parkedItem(source(verdict, record, key, headers), verdict,
          open.headOf(key.get())), Duration.ZERO);
    }
    if (verdict instanceof Triage.Poison poison) {
      return writeBehind(parts.diversions().poisonItem(source(verdict, record, key, headers), poison), Duration.ZERO);
    }
    Triage.Ready ready = (Triage.Ready) verdict;
    ConsumedEvent event = new ConsumedEvent(ready.event(), ready.stream(), parts.config().group(), topic, partition,
        record.offset(), key, false, ConsumedEvent.Delivery.KAFKA, 0, headers);
    Future<HandlerInvoker.Outcome> handled = parts.invoker().invoke(event);
    if (handled.succeeded()) {
      // A synchronous handler: no continuation to allocate and schedule.
      return afterHandler(handled.result(), ready, record, key, headers);
    }
    return handled.compose(outcome -> afterHandler(outcome, ready, record, key, headers));
  }

  private Future<Void> afterHandler(HandlerInvoker.Outcome outcome, Triage.Ready ready,
      ConsumerRecord<byte[], byte[]> record, Optional<String> key, List<KafkaHeader> headers) {
    meters.inPlaceAttempts(outcome.attempts());
    if (outcome instanceof HandlerInvoker.Handled) {
      parts.metrics().handled(ready.stream());
      return Future.succeededFuture();
    }
    Diversions.Decided decided = parts.diversions().afterInPlace(outcome, 0);
    QuarantineItem item = parts.diversions().itemFor(source(ready, record, key, headers),
        Optional.of(ready.event().id()), Optional.of(ready.event().type()), decided.settlement());
    return writeBehind(item, decided.delay());
  }

  /** What an item is made of; built only for a record that becomes one. */
  private Diversions.Source source(Triage.Verdict verdict, ConsumerRecord<byte[], byte[]> record,
      Optional<String> key, List<KafkaHeader> headers) {
    return new Diversions.Source(verdict.stream(), topic, partition, record.offset(), key, record.value(), headers);
  }

  /**
   * Takes a new item to write behind, and tracks it as open at once: from now on a later record of its key parks
   * behind it, as if it were written. Its record is done; the watermark holds the commit below it until it is recorded.
   */
  private Future<Void> writeBehind(QuarantineItem item, Duration retryDelay) {
    writes.add(item, retryDelay, oldestUnfinishedNanos);
    open.track(OpenItem.of(item), keyOrdered());
    publishBehind();
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
    parts.outage().untilDone(what, stream, this::live, noticingTrouble(() -> parts.writes().createAllIfAbsent(items)))
        .compose(existing -> {
          storeTrouble = false;
          writes.written(batch);
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
          publish();
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
          if (ar.failed()) {
            // Only a bug gets here (outages are retried inside; a batch is either written whole or not at all, and a
            // cancelled one is written item by item): send what is not recorded again later, committing nothing past.
            LOG.error("group {}: {} failed, trying again", parts.config().group(), what, ar.cause());
            List<WriteBehind.Pending> again = new ArrayList<>();
            batch.forEach(p -> {
              if (writes.unrecorded(p.item().offset())) {
                again.add(p);
              }
            });
            writes.sendAgain(again);
            parts.vertx().setTimer(parts.config().errorBackoff().toMillis(), t -> {
              flushWaiting();
              processNext();
            });
            return;
          }
          publishBehind();
          flushWaiting();
          // The worker may have stopped taking records while writing was behind.
          processNext();
        });
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
      open.track(OpenItem.of(stored), keyOrdered());
    }
    if (item.status() == QuarantineStatus.PARKED) {
      parts.metrics().parked(item.stream());
    }
    if (stored.status() != QuarantineStatus.RETRYING) {
      writes.recorded(item.offset());
      // A parked item's head may have settled while it was being written (or, on a replay, long before): then
      // nothing else would start the release. A replayed head found settled frees the items parked behind it.
      stored.key().ifPresent(this::release);
      return Future.succeededFuture();
    }
    // Also for a replayed RETRYING item: its message may have been lost in the crash; a duplicate is stale.
    return scheduleRetry(stored, pending.retryDelay()).onSuccess(v -> writes.recorded(item.offset()));
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

  private Future<Void> scheduleRetry(QuarantineItem item, Duration delay) {
    RetryQueue.Request request = new RetryQueue.Request(item.id(), item.attempts(),
        item.nextAttemptAt().orElse(parts.clock().instant()), delay);
    return parts.outage().untilDone("scheduling a retry of " + item.id(), item.stream(), this::live,
            noticingTrouble(() -> parts.retryQueue().schedule(parts.config().group(), request)))
        .onSuccess(v -> storeTrouble = false);
  }

  /**
   * The call, as {@link OutageRetry} makes it again and again: from its second try on, the one before failed, and the
   * worker stops taking records until a write lands (see {@link #storeTrouble}).
   */
  private <T> Supplier<Future<T>> noticingTrouble(Supplier<Future<T>> call) {
    int[] tries = {0};
    return () -> {
      if (++tries[0] > 1) {
        storeTrouble = true;
      }
      return call.get();
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Changes from elsewhere, and releases

  /** An item of this partition changed in this process (a retry or redrive settled it). */
  void itemChanged(QuarantineItem item) {
    if (state != State.READY) {
      return;
    }
    open.changed(item.id(), item.status());
    publish();
    releaseAll();
  }

  /** Refreshes between two re-reads of idle QUARANTINED items outside lanes (a minute at the default 5 s). */
  private static final int IDLE_REFRESH_EVERY = 12;

  private void scheduleRefresh() {
    if (state == State.STOPPED) {
      return;
    }
    refreshTimer = parts.vertx().setTimer(parts.config().laneRefresh().toMillis(), t -> {
      refreshTimer = -1;
      refresh().onComplete(ar -> scheduleRefresh());
    });
  }

  /**
   * Re-reads the non-parked open items (strongly consistent) to learn of retries, redrives and discards settled by
   * other processes. Costs nothing while the partition has no open item.
   */
  private Future<Void> refresh() {
    refreshes++;
    List<String> ids = open.headIds(refreshes % IDLE_REFRESH_EVERY == 0);
    // An item whose write has not landed is not in the store yet: not to be taken for one an operator deleted.
    if (writes.behind()) {
      ids.removeIf(writes::unwritten);
    }
    if (ids.isEmpty() || refreshing || state != State.READY) {
      return Future.succeededFuture();
    }
    refreshing = true;
    return parts.store().states(ids)
        .onSuccess(states -> {
          if (state != State.READY) {
            return;
          }
          for (String id : ids) {
            OpenItem now = states.get(id);
            // An item no longer in the store was deleted by an operator: it holds nothing back any more.
            open.changed(id, now == null ? QuarantineStatus.DISCARDED : now.status());
          }
          publish();
          releaseAll();
        })
        .onFailure(err -> LOG.debug("group {}: refreshing {}-{} failed: {}", parts.config().group(), topic,
            partition, err.toString()))
        .eventually(() -> {
          refreshing = false;
          return Future.succeededFuture();
        })
        .mapEmpty();
  }

  private void releaseAll() {
    for (String key : open.releasableKeys()) {
      release(key);
    }
  }

  /** Handles the parked items of a key in order, while the first of its lane is parked. One release per key at a time. */
  private void release(String key) {
    if (state != State.READY || releasing.contains(key)) {
      return;
    }
    Optional<OpenItems.Tracked> next = open.nextToRelease(key);
    if (next.isEmpty() || writes.unwritten(next.get().id)) {
      // Not a parked item the store knows yet: its batch releases it once it is written.
      return;
    }
    releasing.add(key);
    releaseOne(next.get().id).onComplete(ar -> {
      releasing.remove(key);
      if (state != State.READY) {
        return;
      }
      if (ar.failed()) {
        LOG.warn("group {}: releasing {} failed, trying again: {}", parts.config().group(), next.get().id,
            ar.cause().toString());
        parts.vertx().setTimer(parts.config().errorBackoff().toMillis(), t -> release(key));
      } else {
        release(key);
      }
    });
  }

  private Future<Void> releaseOne(String id) {
    return parts.outage().untilDone("reading parked " + id, stream, this::live, () -> parts.store().get(id))
        .compose(found -> {
          if (found.isEmpty()) {
            open.changed(id, QuarantineStatus.DISCARDED);
            publish();
            return Future.<Void>succeededFuture();
          }
          QuarantineItem item = found.get();
          if (item.status() != QuarantineStatus.PARKED) {
            open.changed(id, item.status());
            publish();
            return Future.<Void>succeededFuture();
          }
          return handleParked(item);
        });
  }

  private Future<Void> handleParked(QuarantineItem item) {
    if (item.reason().isPoison()) {
      // Judged poison when it was read from Kafka: quarantined now, without being read again.
      return settleParked(item, new Settlement.Quarantined(item.reason(), item.errorClass(),
          item.errorMessage(), item.violations(), List.of(), item.generation()), Duration.ZERO);
    }
    Triage.Verdict verdict = parts.triage().triage(item.topic(), item.headers(), item.payload());
    if (verdict instanceof Triage.Poison p) {
      return settleParked(item, new Settlement.Quarantined(p.reason(), p.errorClass(), p.message(),
          p.violations(), List.of(), item.generation()), Duration.ZERO);
    }
    Triage.Ready ready = (Triage.Ready) verdict;
    ConsumedEvent event = new ConsumedEvent(ready.event(), ready.stream(), item.group(), item.topic(),
        item.partition(), item.offset(), item.key(), false, ConsumedEvent.Delivery.RELEASED, item.generation(),
        ConsumedEvent.withGeneration(item.headers(), item.generation()));
    return parts.invoker().invoke(event).compose(outcome -> {
      if (state == State.READY) {
        meters.inPlaceAttempts(outcome.attempts());
      }
      if (outcome instanceof HandlerInvoker.Handled) {
        parts.metrics().handled(ready.stream());
      }
      Diversions.Decided decided = parts.diversions().afterInPlace(outcome, item.generation());
      return settleParked(item, decided.settlement(), decided.delay());
    });
  }

  private Future<Void> settleParked(QuarantineItem item, Settlement settlement, Duration delay) {
    return parts.outage().untilDone("settling parked " + item.id(), item.stream(), this::live,
            () -> parts.writes().settle(item.id(), QuarantineStatus.PARKED, OptionalInt.empty(), settlement,
                parts.diversions().actor()))
        .compose(updated -> {
          parts.metrics().released(item.stream(), updated.status());
          if (updated.status() == QuarantineStatus.QUARANTINED) {
            parts.metrics().quarantined(item.stream(), updated.reason());
          }
          open.changed(updated.id(), updated.status());
          publish();
          LOG.info("group {}: released {}-{}@{} -> {}", parts.config().group(), topic, partition, item.offset(),
              updated.status());
          return updated.status() == QuarantineStatus.RETRYING
              ? scheduleRetry(updated, delay)
              : Future.<Void>succeededFuture();
        })
        .recover(err -> {
          if (err instanceof StoreException.StatusConflict conflict) {
            // Someone else moved it (an operator's discard, or a previous owner's release): take their word.
            open.changed(item.id(), conflict.actual());
            publish();
            return Future.succeededFuture();
          }
          return Future.failedFuture(err);
        });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Gauges

  /** The oldest item not recorded yet counts as unfinished for the head-of-line age and the lag. */
  private void publishBehind() {
    oldestUnrecordedNanos = writes.oldestUnrecordedNanos();
    firstUnrecordedOffset = writes.firstUnrecordedOffset();
  }

  private void publish() {
    retrying = open.count(QuarantineStatus.RETRYING);
    parked = open.count(QuarantineStatus.PARKED);
    quarantined = open.count(QuarantineStatus.QUARANTINED);
    redriven = open.count(QuarantineStatus.REDRIVEN);
    oldestQuarantinedMillis = open.oldestQuarantined().map(Instant::toEpochMilli).orElse(0L);
  }

  @Override
  public double headOfLineAgeSeconds() {
    long record = oldestUnfinishedNanos;
    long item = oldestUnrecordedNanos;
    long since = record == 0 ? item : item == 0 ? record : Math.min(record, item);
    return since == 0 ? 0 : (System.nanoTime() - since) / 1e9;
  }

  /** The partition's end offset, as the consumer last asked the broker. */
  void endOffset(long offset) {
    endOffset = offset;
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
      return lag.getAsDouble();
    }
    return Math.max(0, end - first);
  }

  @Override
  public double openItems(QuarantineStatus status) {
    return switch (status) {
      case RETRYING -> retrying;
      case PARKED -> parked;
      case QUARANTINED -> quarantined;
      case REDRIVEN -> redriven;
      default -> 0;
    };
  }

  @Override
  public double oldestQuarantinedAgeSeconds() {
    long at = oldestQuarantinedMillis;
    return at == 0 ? 0 : Math.max(0, parts.clock().millis() - at) / 1000.0;
  }
}
