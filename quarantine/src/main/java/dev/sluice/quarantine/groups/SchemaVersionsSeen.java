package dev.sluice.quarantine.groups;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records which schema version each event type was validated against, for the group's heartbeat: per type, the
 * versions seen within the last {@code window}.
 *
 * <p>Called once per consumed record, so {@link #record} is lock-free when the (type, version) pair is known: two map
 * lookups and, at most once per clock tick, a volatile write. Adding a new type or version takes a lock, and is where
 * the bounds are enforced: at most {@code maxTypes} types and {@code maxVersionsPerType} versions per type. When a
 * bound is reached, expired entries are dropped first, then the least recently seen version (or type) makes room:
 * the newest information wins, and memory stays bounded whatever the input.
 *
 * <p>Thread-safe.
 */
public final class SchemaVersionsSeen {
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
  public static final int DEFAULT_MAX_TYPES = 256;
  public static final int DEFAULT_MAX_VERSIONS_PER_TYPE = 16;

  private final long windowMillis;
  private final int maxTypes;
  private final int maxVersionsPerType;
  private final Clock clock;
  /** type -> version -> when it was last seen (epoch millis). */
  private final ConcurrentHashMap<String, ConcurrentHashMap<Integer, AtomicLong>> seen = new ConcurrentHashMap<>();

  public SchemaVersionsSeen(Duration window, int maxTypes, int maxVersionsPerType, Clock clock) {
    Objects.requireNonNull(window, "window");
    if (window.toMillis() < 1) {
      throw new IllegalArgumentException("the window must be positive, was " + window);
    }
    if (maxTypes < 1 || maxTypes > GroupHeartbeat.MAX_TYPES) {
      throw new IllegalArgumentException("maxTypes must be 1-" + GroupHeartbeat.MAX_TYPES + ", was " + maxTypes);
    }
    if (maxVersionsPerType < 1 || maxVersionsPerType > GroupHeartbeat.MAX_VERSIONS_PER_TYPE) {
      throw new IllegalArgumentException(
          "maxVersionsPerType must be 1-" + GroupHeartbeat.MAX_VERSIONS_PER_TYPE + ", was " + maxVersionsPerType);
    }
    this.windowMillis = window.toMillis();
    this.maxTypes = maxTypes;
    this.maxVersionsPerType = maxVersionsPerType;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** One hour, 256 types, 16 versions per type. */
  public static SchemaVersionsSeen withDefaults(Clock clock) {
    return new SchemaVersionsSeen(DEFAULT_WINDOW, DEFAULT_MAX_TYPES, DEFAULT_MAX_VERSIONS_PER_TYPE, clock);
  }

  /** Notes that an event of {@code type} was validated against schema {@code version} now. */
  public void record(String type, int version) {
    long now = clock.millis();
    ConcurrentHashMap<Integer, AtomicLong> versions = seen.get(type);
    AtomicLong last = versions == null ? null : versions.get(version);
    if (last != null) {
      // The hot path. Racing writers may store either of two nearly equal times: both are "now". If the entry was
      // pruned (expired) at this very moment, this one observation is lost; the next record of the pair re-adds it.
      if (now > last.get()) {
        last.set(now);
      }
      return;
    }
    addNew(Objects.requireNonNull(type, "type"), version, now);
  }

  private synchronized void addNew(String type, int version, long now) {
    ConcurrentHashMap<Integer, AtomicLong> known = seen.get(type);
    if (known == null) {
      if (seen.size() >= maxTypes) {
        pruneExpired(now);
      }
      if (seen.size() >= maxTypes) {
        evictStalestType();
      }
      known = new ConcurrentHashMap<>();
      seen.put(type, known);
    }
    ConcurrentHashMap<Integer, AtomicLong> versions = known;
    AtomicLong last = versions.get(version);
    if (last != null) {
      // Added by a racing caller while this one waited for the lock.
      last.accumulateAndGet(now, Math::max);
      return;
    }
    if (versions.size() >= maxVersionsPerType) {
      versions.values().removeIf(t -> t.get() <= now - windowMillis);
    }
    if (versions.size() >= maxVersionsPerType) {
      versions.entrySet().stream()
          .min(Map.Entry.comparingByValue((a, b) -> Long.compare(a.get(), b.get())))
          .ifPresent(stalest -> versions.remove(stalest.getKey()));
    }
    versions.put(version, new AtomicLong(now));
  }

  /** Per type, the versions seen within the window, in order. Also drops what has expired. */
  public SortedMap<String, SortedSet<Integer>> snapshot() {
    long now = clock.millis();
    pruneExpiredLocked(now);
    TreeMap<String, SortedSet<Integer>> out = new TreeMap<>();
    seen.forEach((type, versions) -> {
      TreeSet<Integer> live = new TreeSet<>();
      versions.forEach((version, last) -> {
        if (last.get() > now - windowMillis) {
          live.add(version);
        }
      });
      if (!live.isEmpty()) {
        out.put(type, Collections.unmodifiableSortedSet(live));
      }
    });
    return Collections.unmodifiableSortedMap(out);
  }

  /** Types held now, expired ones not yet pruned included. */
  public int types() {
    return seen.size();
  }

  private synchronized void pruneExpiredLocked(long now) {
    pruneExpired(now);
  }

  /** Callers hold the lock: only locked code removes entries, so a version added concurrently is never lost. */
  private void pruneExpired(long now) {
    long cutoff = now - windowMillis;
    seen.values().forEach(versions -> versions.values().removeIf(t -> t.get() <= cutoff));
    seen.values().removeIf(Map::isEmpty);
  }

  private void evictStalestType() {
    String stalest = null;
    long stalestSeen = Long.MAX_VALUE;
    for (Map.Entry<String, ConcurrentHashMap<Integer, AtomicLong>> e : seen.entrySet()) {
      long newest = e.getValue().values().stream().mapToLong(AtomicLong::get).max().orElse(Long.MIN_VALUE);
      if (newest < stalestSeen) {
        stalestSeen = newest;
        stalest = e.getKey();
      }
    }
    if (stalest != null) {
      seen.remove(stalest);
    }
  }
}
