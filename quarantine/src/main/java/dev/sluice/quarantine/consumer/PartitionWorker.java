package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.queue.RetryQueue;
import dev.sluice.quarantine.store.OpenItem;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.QuarantineStore;
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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.DoubleSupplier;
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
  private boolean refreshing;
  private long refreshes;
  private long refreshTimer = -1;
  private long committable = -1;
  private long committed = -1;
  private Promise<Void> stopped;

  // Snapshots for the gauges, published on the context after every change, read from any thread.
  private volatile long oldestUnfinishedNanos;
  /** The offset of the first record not finished yet (the one in hand, or the next to fetch); -1 before any. */
  private volatile long firstUnfinishedOffset = -1;
  /** The partition's end offset, as last asked of the broker; -1 before the first answer. */
  private volatile long endOffset = -1;
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

  long committable() {
    return committable;
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
    if (!processing) {
      stopped.tryComplete();
    }
    return stopped.future();
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
      Pending next = queue.poll();
      if (next == null) {
        oldestUnfinishedNanos = 0;
        firstUnfinishedOffset = lastEnqueuedOffset + 1;
        owner.idle(this);
        return;
      }
      oldestUnfinishedNanos = next.fetchedAtNanos();
      firstUnfinishedOffset = next.record().offset();
      processing = true;
      Future<Void> done = handleRecord(next.record());
      if (done.isComplete()) {
        finish(next, done.cause());
      } else {
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
      stopped.tryComplete();
      return;
    }
    if (failure == null) {
      committable = p.record().offset() + 1;
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
    List<KafkaHeader> headers = new ArrayList<>();
    for (Header h : record.headers()) {
      headers.add(new KafkaHeader(h.key(), h.value()));
    }
    Optional<String> key = Optional.ofNullable(record.key()).map(k -> new String(k, StandardCharsets.UTF_8));
    // Judged once: the verdict travels with the record through every retry of a write below.
    Triage.Verdict verdict = parts.triage().triage(topic, headers, record.value());
    if (verdict instanceof Triage.Poison p) {
      parts.metrics().poisonJudged(p.stream(), p.reason());
    }
    Diversions.Source src = new Diversions.Source(verdict.stream(), topic, partition, record.offset(), key,
        record.value(), headers);
    // The happy path: no key held back, so nothing more than that emptiness check. Otherwise one map lookup.
    if (open.anyBlocked() && key.isPresent() && open.mustPark(key.get(), record.offset()) && keyOrdered()) {
      QuarantineItem item = parts.diversions().parkedItem(src, verdict, open.headOf(key.get()));
      return record(item, Duration.ZERO).onSuccess(v -> parts.metrics().parked(src.stream()));
    }
    if (verdict instanceof Triage.Poison poison) {
      return record(parts.diversions().poisonItem(src, poison), Duration.ZERO);
    }
    Triage.Ready ready = (Triage.Ready) verdict;
    ConsumedEvent event = new ConsumedEvent(ready.event(), ready.stream(), parts.config().group(), topic, partition,
        record.offset(), key, false, ConsumedEvent.Delivery.KAFKA, 0, headers);
    return parts.invoker().invoke(event).compose(outcome -> {
      meters.inPlaceAttempts(outcome.attempts());
      if (outcome instanceof HandlerInvoker.Handled) {
        parts.metrics().handled(ready.stream());
        return Future.<Void>succeededFuture();
      }
      Diversions.Decided decided = parts.diversions().afterInPlace(outcome, 0);
      QuarantineItem item = parts.diversions().itemFor(src, Optional.of(ready.event().id()),
          Optional.of(ready.event().type()), decided.settlement());
      return record(item, decided.delay());
    });
  }

  /**
   * Writes a new item (retrying through an outage) and tracks it; a RETRYING item is then handed to the retry queue.
   * A replay finds the item already written and tracks it as it stands.
   */
  private Future<Void> record(QuarantineItem item, Duration retryDelay) {
    String what = "recording " + item.status() + " " + item.id();
    return parts.outage().untilDone(what, item.stream(), this::live, () -> parts.store().createIfAbsent(item))
        .compose(existing -> {
          QuarantineItem stored = existing.orElse(item);
          if (existing.isEmpty()) {
            count(item);
          }
          open.track(OpenItem.of(stored), keyOrdered());
          publish();
          if (stored.status() == QuarantineStatus.PARKED && stored.key().isPresent()) {
            // Its head may have settled while this was being written: then nothing else would start the release.
            release(stored.key().get());
          }
          if (stored.status() != QuarantineStatus.RETRYING) {
            return Future.<Void>succeededFuture();
          }
          // Also for a replayed RETRYING item: its message may have been lost in the crash; a duplicate is stale.
          return scheduleRetry(stored, retryDelay);
        });
  }

  private void count(QuarantineItem item) {
    switch (item.status()) {
      case QUARANTINED -> parts.metrics().quarantined(item.stream(), item.reason());
      case RETRYING -> parts.metrics().retryScheduled(item.stream());
      default -> { }
    }
    if (item.status() != QuarantineStatus.PARKED) {
      LOG.info("group {}: {}-{}@{} is {} ({}: {})", parts.config().group(), topic, partition, item.offset(),
          item.status(), item.reason(), item.errorMessage());
    }
  }

  private Future<Void> scheduleRetry(QuarantineItem item, Duration delay) {
    RetryQueue.Request request = new RetryQueue.Request(item.id(), item.attempts(),
        item.nextAttemptAt().orElse(parts.clock().instant()), delay);
    return parts.outage().untilDone("scheduling a retry of " + item.id(), item.stream(), this::live,
        () -> parts.retryQueue().schedule(parts.config().group(), request));
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
    if (next.isEmpty()) {
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
      return settleParked(item, new QuarantineStore.Quarantined(item.reason(), item.errorClass(),
          item.errorMessage(), item.violations(), List.of(), item.generation()), Duration.ZERO);
    }
    Triage.Verdict verdict = parts.triage().triage(item.topic(), item.headers(), item.payload());
    if (verdict instanceof Triage.Poison p) {
      return settleParked(item, new QuarantineStore.Quarantined(p.reason(), p.errorClass(), p.message(),
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

  private Future<Void> settleParked(QuarantineItem item, QuarantineStore.Settlement settlement, Duration delay) {
    return parts.outage().untilDone("settling parked " + item.id(), item.stream(), this::live,
            () -> parts.store().settle(item.id(), QuarantineStatus.PARKED, OptionalInt.empty(), settlement,
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

  private void publish() {
    retrying = open.count(QuarantineStatus.RETRYING);
    parked = open.count(QuarantineStatus.PARKED);
    quarantined = open.count(QuarantineStatus.QUARANTINED);
    redriven = open.count(QuarantineStatus.REDRIVEN);
    oldestQuarantinedMillis = open.oldestQuarantined().map(Instant::toEpochMilli).orElse(0L);
  }

  @Override
  public double headOfLineAgeSeconds() {
    long since = oldestUnfinishedNanos;
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
    long first = firstUnfinishedOffset;
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
