package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.store.OpenItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * The open items of one partition that its owner knows of, and the ordering guard built on them: for a key-ordered
 * stream, each key with an open item has a lane (its open items by offset), and a later record with that key must be
 * parked behind it. The happy path is one hash lookup ({@link #mustPark}) on a map that holds only blocked keys.
 *
 * <p>Confined to the partition's owner (one Vert.x context): no locking.
 */
final class OpenItems {
  private final Map<String, Tracked> byId = new HashMap<>();
  private final Map<Long, Tracked> byOffset = new HashMap<>();
  private final Map<String, TreeMap<Long, Tracked>> lanes = new HashMap<>();
  private final EnumMap<QuarantineStatus, Integer> counts = new EnumMap<>(QuarantineStatus.class);
  /**
   * When each QUARANTINED item was quarantined, with how many share that instant: the oldest is the first key. Kept
   * as items change, since the gauges ask after every batch written, and a poison storm tracks thousands of items.
   */
  private final TreeMap<Instant, Integer> quarantinedAt = new TreeMap<>();
  /**
   * No item at or above this offset is tracked in {@link #byOffset}: one more than the highest offset ever put there.
   * Only ever raised (a forgotten item leaves it as it was), so it is a bound, never too low: a record read in order
   * lies past it, and its replay check is one comparison instead of boxing its offset and probing a map of thousands.
   */
  private long offsetsBelow = Long.MIN_VALUE;

  /** An open item as tracked: whether it holds a key's lane is fixed when it is first tracked. */
  static final class Tracked {
    final String id;
    final Optional<String> laneKey;
    final long offset;
    final Instant quarantinedAt;
    QuarantineStatus status;

    Tracked(String id, Optional<String> laneKey, long offset, Instant quarantinedAt, QuarantineStatus status) {
      this.id = id;
      this.laneKey = laneKey;
      this.offset = offset;
      this.quarantinedAt = quarantinedAt;
      this.status = status;
    }
  }

  /**
   * Tracks an open item (a final one is ignored). {@code keyOrdered}: the item's stream is key-ordered, so an item
   * with a key holds that key's lane.
   */
  void track(OpenItem item, boolean keyOrdered) {
    if (!item.status().isOpen()) {
      changed(item.id(), item.status());
      return;
    }
    Tracked known = byId.get(item.id());
    if (known != null) {
      changed(item.id(), item.status());
      return;
    }
    Optional<String> laneKey = keyOrdered ? item.key() : Optional.empty();
    Tracked t = new Tracked(item.id(), laneKey, item.offset(), item.quarantinedAt(), item.status());
    byId.put(t.id, t);
    byOffset.put(t.offset, t);
    offsetsBelow = Math.max(offsetsBelow, t.offset + 1);
    counted(t, 1);
    laneKey.ifPresent(k -> lanes.computeIfAbsent(k, x -> new TreeMap<>()).put(t.offset, t));
  }

  /** Applies a new status: a final one forgets the item (and frees its lane if it was the last). */
  void changed(String id, QuarantineStatus status) {
    Tracked t = byId.get(id);
    if (t == null || t.status == status) {
      return;
    }
    counted(t, -1);
    if (status.isOpen()) {
      t.status = status;
      counted(t, 1);
      return;
    }
    byId.remove(id);
    // Only if the offset is still this item's: a rewind's pass may track an item of its own at the same offset.
    byOffset.remove(t.offset, t);
    t.laneKey.ifPresent(k -> {
      TreeMap<Long, Tracked> lane = lanes.get(k);
      if (lane != null) {
        lane.remove(t.offset);
        if (lane.isEmpty()) {
          lanes.remove(k);
        }
      }
    });
  }

  /** Counts {@code t} in (1) or out (-1) of its status, and of the quarantine times if it is QUARANTINED. */
  private void counted(Tracked t, int change) {
    counts.merge(t.status, change, Integer::sum);
    if (t.status == QuarantineStatus.QUARANTINED) {
      quarantinedAt.merge(t.quarantinedAt, change, (was, c) -> was + c == 0 ? null : was + c);
    }
  }

  /**
   * Forgets the open items at offsets from {@code from} up to {@code end} whose id is not {@code passIdAt} of their
   * offset: a rewind's pass reads those offsets again, and the first pass's items of them hold no lane in it. Answers
   * the items forgotten, by offset, as they were tracked: the pass settles each in the store once it settled its
   * event, or tracks it again if it passes its event over.
   */
  Map<Long, OpenItem> setAside(long from, long end, LongFunction<String> passIdAt) {
    List<Tracked> aside = byId.values().stream()
        .filter(t -> t.offset >= from && t.offset < end && !t.id.equals(passIdAt.apply(t.offset)))
        .toList();
    Map<Long, OpenItem> ids = new HashMap<>();
    aside.forEach(t -> {
      // The attempts are not tracked, and tracking needs none.
      ids.put(t.offset, new OpenItem(t.id, t.status, t.laneKey, t.offset, t.quarantinedAt, 0));
      // Forgotten as if settled: out of the counts, the offsets and the lanes.
      changed(t.id, QuarantineStatus.RESOLVED);
    });
    return ids;
  }

  boolean contains(String id) {
    return byId.containsKey(id);
  }

  /**
   * Whether the record at this offset of the partition is an open item already (a replay): one comparison for a
   * record past every item tracked (the usual case: items are tracked as their records are read), else one map lookup.
   */
  boolean containsOffset(long offset) {
    return offset < offsetsBelow && !byOffset.isEmpty() && byOffset.containsKey(offset);
  }

  /** Whether any key is held back: when none is, the guard costs nothing more per record. */
  boolean anyBlocked() {
    return !lanes.isEmpty();
  }

  Optional<Tracked> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * Whether a record with this key and offset must wait: an open item of its key comes before it. A record older
   * than every open item of its key is a replay of one handled before that item existed (records of a partition are
   * handled in order, and nothing is skipped), so it is not held back.
   */
  boolean mustPark(String key, long offset) {
    TreeMap<Long, Tracked> lane = lanes.get(key);
    return lane != null && lane.firstKey() < offset;
  }

  /** The item a new record of this key waits behind: the first open item that is not parked, else the first. */
  Optional<String> headOf(String key) {
    TreeMap<Long, Tracked> lane = lanes.get(key);
    if (lane == null) {
      return Optional.empty();
    }
    for (Tracked t : lane.values()) {
      if (t.status != QuarantineStatus.PARKED) {
        return Optional.of(t.id);
      }
    }
    return Optional.of(lane.firstEntry().getValue().id);
  }

  /** The parked item to release next for a key: its lane's first item, if that one is parked (no head before it). */
  Optional<Tracked> nextToRelease(String key) {
    TreeMap<Long, Tracked> lane = lanes.get(key);
    if (lane == null) {
      return Optional.empty();
    }
    Tracked first = lane.firstEntry().getValue();
    return first.status == QuarantineStatus.PARKED ? Optional.of(first) : Optional.empty();
  }

  /** Keys whose lane starts with a parked item: their head settled, and they wait for release. */
  List<String> releasableKeys() {
    List<String> out = new ArrayList<>();
    lanes.forEach((k, lane) -> {
      if (lane.firstEntry().getValue().status == QuarantineStatus.PARKED) {
        out.add(k);
      }
    });
    return out;
  }

  /**
   * Ids of the tracked items that others (retries, redrives, operators) settle, to re-read: every non-parked item of
   * a lane (its settling releases parked events), every RETRYING or REDRIVEN item (they settle soon), and, when
   * {@code withIdle}, QUARANTINED items outside lanes too (they change only by an operator's hand, and matter only
   * for the counts and the oldest-quarantined age).
   */
  List<String> headIds(boolean withIdle) {
    List<String> out = new ArrayList<>();
    byId.values().forEach(t -> {
      boolean idle = t.status == QuarantineStatus.QUARANTINED && t.laneKey.isEmpty();
      if (t.status != QuarantineStatus.PARKED && (withIdle || !idle)) {
        out.add(t.id);
      }
    });
    return out;
  }

  int count(QuarantineStatus status) {
    return counts.getOrDefault(status, 0);
  }

  int size() {
    return byId.size();
  }

  int blockedKeys() {
    return lanes.size();
  }

  /** When the oldest QUARANTINED item was quarantined, if any. */
  Optional<Instant> oldestQuarantined() {
    return quarantinedAt.isEmpty() ? Optional.empty() : Optional.of(quarantinedAt.firstKey());
  }
}
