package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.store.OpenItem;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.Settlement;
import dev.sluice.quarantine.store.StoreException;
import dev.sluice.schemas.catalog.OrderingPolicy;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordering guard of one partition and the release of its parked lanes. It knows the partition's open items
 * ({@link OpenItems}): on a key-ordered stream each key with an open item has a lane, and the record pipeline
 * ({@link PartitionWorker}) asks here whether a record must be parked behind one.
 *
 * <p>Releases: when the head of a key's lane settles (RESOLVED or DISCARDED, learned from this process's retry and
 * redrive drainers at once, or from a periodic re-read of the store), the parked items of that key are handled in
 * offset order, each as a first delivery; one that fails becomes the new head and stops the release. One release per
 * key runs at a time; releases of different keys run side by side, and beside the pipeline.
 *
 * <p>Nothing here acts on an item whose write has not landed ({@link WriteBehind#unwritten}): a release waits for
 * its batch, and the re-read never takes a missing item for one an operator deleted.
 *
 * <p>Active from when the partition's open items are loaded until the partition stops. Confined to the consumer's
 * Vert.x context, like the worker.
 */
final class PartitionLanes {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionLanes.class);
  /** Refreshes between two re-reads of idle QUARANTINED items outside lanes (a minute at the default 5 s). */
  private static final int IDLE_REFRESH_EVERY = 12;

  /** What the lanes of one partition work with, shared with its record pipeline. */
  record Parts(ConsumerParts consumer, String topic, int partition, String stream, WriteBehind writes,
      PartitionCalls calls, PartitionGauges gauges) {}

  private final ConsumerParts parts;
  private final String topic;
  private final int partition;
  private final String stream;
  private final WriteBehind writes;
  private final PartitionCalls calls;
  private final PartitionGauges gauges;
  private final OpenItems open = new OpenItems();
  private final Set<String> releasing = new HashSet<>();

  /** The quarantine log's partition of this partition's items, or -1 without a log. */
  private final int logPartition;
  private boolean active;
  private boolean refreshing;
  private long refreshes;
  private long refreshTimer = -1;

  PartitionLanes(Parts p) {
    this.parts = p.consumer();
    this.topic = p.topic();
    this.partition = p.partition();
    this.stream = p.stream();
    this.writes = p.writes();
    this.calls = p.calls();
    this.gauges = p.gauges();
    this.logPartition = parts.log().map(l -> l.partitionFor(parts.config().group(), topic, partition)).orElse(-1);
  }

  /**
   * Takes the partition's open items as loaded from the store, then starts the periodic re-read and releases every
   * lane whose head settled while the partition had no owner.
   */
  void start(List<OpenItem> items) {
    items.forEach(this::track);
    active = true;
    gauges.open(open);
    if (!items.isEmpty()) {
      LOG.info("group {}: {}-{} assigned with {} open item(s), {} key(s) held back", parts.config().group(),
          topic, partition, items.size(), open.blockedKeys());
    }
    scheduleRefresh();
    releaseAll();
  }

  /** The partition is gone: no more re-reads or releases (one in progress ends at its next step). */
  void stop() {
    active = false;
    if (refreshTimer >= 0) {
      parts.vertx().cancelTimer(refreshTimer);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The guard, for the record pipeline

  /** Whether the record at {@code offset} is an open item already (a replay after a crash or rebalance). */
  boolean isOpen(long offset) {
    return open.containsOffset(offset);
  }

  /** Whether a record with this key and offset must be parked behind an open item of its key. */
  boolean mustPark(Optional<String> key, long offset) {
    // The happy path: no key held back, so nothing more than that emptiness check. Otherwise one map lookup.
    return open.anyBlocked() && key.isPresent() && open.mustPark(key.get(), offset) && keyOrdered();
  }

  /** The item a new record of this key waits behind: the first open item that is not parked, else the first. */
  Optional<String> headOf(String key) {
    return open.headOf(key);
  }

  /** Tracks an item as open (or, if it is settled, forgets it): from now on it holds its key's lane. */
  void track(OpenItem item) {
    open.track(item, keyOrdered());
  }

  /**
   * A rewind's pass starts on this partition at {@code from}: forgets the open items from there to {@code end} that
   * are not the pass's own ({@code passIdAt} names the pass's item of an offset). Forgotten here only: in the store
   * they stay open until the pass settles their events. Answers them by offset.
   */
  Map<Long, OpenItem> setAside(long from, long end, LongFunction<String> passIdAt) {
    Map<Long, OpenItem> aside = open.setAside(from, end, passIdAt);
    gauges.open(open);
    return aside;
  }

  /** Publishes the open items to the gauges, after a batch of {@link #track} calls. */
  void publish() {
    gauges.open(open);
  }

  private boolean keyOrdered() {
    return parts.triage().orderingOf(topic) == OrderingPolicy.KEY_ORDERED;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Changes from elsewhere, and releases

  /** An item of this partition changed in this process (a retry or redrive settled it). */
  void itemChanged(QuarantineItem item) {
    if (!active) {
      return;
    }
    changed(item.id(), item.status());
    releaseAll();
  }

  private void changed(String id, QuarantineStatus status) {
    open.changed(id, status);
    gauges.open(open);
  }

  private void scheduleRefresh() {
    if (!active) {
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
    confirmIndexed();
    List<String> ids = open.headIds(refreshes % IDLE_REFRESH_EVERY == 0);
    // An item whose write has not landed is not in the store yet: not to be taken for one an operator deleted.
    if (writes.anyUnwritten()) {
      ids.removeIf(writes::unwritten);
    }
    if (ids.isEmpty() || refreshing || !active) {
      return Future.succeededFuture();
    }
    refreshing = true;
    return parts.store().states(ids)
        .onSuccess(states -> {
          if (!active) {
            return;
          }
          for (String id : ids) {
            OpenItem now = states.get(id);
            // An item no longer in the store was deleted by an operator: it holds nothing back any more.
            open.changed(id, now == null ? QuarantineStatus.DISCARDED : now.status());
          }
          gauges.open(open);
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

  /**
   * Learns how far the quarantine log's indexer got in this partition's log partition: the items appended below that
   * are in the store, and are read again like any other from the next refresh on. Nothing to do without a log.
   */
  private void confirmIndexed() {
    if (logPartition < 0 || !writes.anyUnindexed()) {
      return;
    }
    parts.log().orElseThrow().indexedUpTo(logPartition)
        .onSuccess(writes::indexedBelow)
        .onFailure(err -> LOG.debug("group {}: reading the indexer's progress for {}-{} failed: {}",
            parts.config().group(), topic, partition, err.toString()));
  }

  private void releaseAll() {
    for (String key : open.releasableKeys()) {
      release(key);
    }
  }

  /**
   * Handles the parked items of a key in order, while the first of its lane is parked. One release per key at a
   * time.
   */
  void release(String key) {
    if (!active || releasing.contains(key)) {
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
      if (!active) {
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
    return calls.untilDone("reading parked " + id, stream, () -> parts.store().get(id))
        .compose(found -> {
          if (found.isEmpty()) {
            changed(id, QuarantineStatus.DISCARDED);
            return Future.<Void>succeededFuture();
          }
          QuarantineItem item = found.get();
          if (item.status() != QuarantineStatus.PARKED) {
            changed(id, item.status());
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
      return settleParked(item, p.quarantined(item.generation()), Duration.ZERO);
    }
    Triage.Ready ready = (Triage.Ready) verdict;
    // Through a key outage while the partition is live: the release waits, and the key's later events behind it.
    return calls.unsealed(ready).compose(opened -> {
      if (opened instanceof EventUnsealer.Failed failed) {
        return settleParked(item, failed.poison().quarantined(item.generation()), Duration.ZERO);
      }
      ConsumedEvent event = ConsumedEvent.fromStore((EventUnsealer.Open) opened, item,
          ConsumedEvent.Delivery.RELEASED, item.generation(), parts.replays());
      return parts.invoker().invoke(event).compose(outcome -> {
        if (active) {
          gauges.meters().inPlaceAttempts(outcome.attempts());
        }
        if (outcome instanceof HandlerInvoker.Handled) {
          parts.metrics().handled(ready.stream());
        }
        Diversions.Decided decided = parts.diversions().afterInPlace(outcome, item.generation());
        return settleParked(item, decided.settlement(), decided.delay());
      });
    });
  }

  private Future<Void> settleParked(QuarantineItem item, Settlement settlement, Duration delay) {
    return calls.untilDone("settling parked " + item.id(), item.stream(),
            () -> parts.writes().settle(item.id(), QuarantineStatus.PARKED, OptionalInt.empty(), settlement,
                parts.diversions().actor()))
        .compose(updated -> {
          parts.metrics().released(item.stream(), updated.status());
          if (updated.status() == QuarantineStatus.QUARANTINED) {
            parts.metrics().quarantined(item.stream(), updated.reason());
          }
          changed(updated.id(), updated.status());
          LOG.info("group {}: released {}-{}@{} -> {}", parts.config().group(), topic, partition, item.offset(),
              updated.status());
          return updated.status() == QuarantineStatus.RETRYING
              ? calls.scheduleRetry(updated, delay)
              : Future.<Void>succeededFuture();
        })
        .recover(err -> {
          if (err instanceof StoreException.StatusConflict conflict) {
            // Someone else moved it (an operator's discard, or a previous owner's release): take their word.
            changed(item.id(), conflict.actual());
            return Future.succeededFuture();
          }
          return Future.failedFuture(err);
        });
  }
}
