package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.storm.Storm;
import dev.sluice.quarantine.storm.StormState;
import dev.sluice.quarantine.storm.StormStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one wrapped group instance knows of its group's storms ({@link Storm}): which partitions a TRIPPED storm
 * pauses, and which fingerprints an operator chose to quarantine one by one. Read when a partition is assigned,
 * before any of its records is handled (its worker waits for the read), and again on every lane refresh, which is how
 * an operator's resume or quarantine-all reaches the partition's owner, wherever it runs. Without the storms table
 * (the breaker is then off) it reads nothing and holds nothing.
 *
 * <p>Storms are never deleted and every write adds one to a storm's version, so of two views of one storm the higher
 * version is the later: a read made before this instance's own trip landed does not undo it.
 *
 * <p>Confined to the consumer's Vert.x context.
 */
final class StormWatch {
  private static final Logger LOG = LoggerFactory.getLogger(StormWatch.class);

  private final Optional<StormStore> store;
  private final String group;
  /** The group's storms by id. */
  private final Map<String, Storm> known = new HashMap<>();
  /** The partitions a TRIPPED storm pauses, as {@code topic/partition}. */
  private final Set<String> held = new HashSet<>();
  private Future<Void> reading;
  private Runnable onLifted = () -> { };
  private long timer = -1;

  /** Reads {@code group}'s storms from {@code store}; with none, nothing is ever held. */
  StormWatch(Optional<StormStore> store, String group) {
    this.store = store;
    this.group = group;
  }

  /** Reads the group's storms now. A read already in flight is shared: it was made just before, which is as good. */
  Future<Void> read() {
    if (store.isEmpty()) {
      return Future.succeededFuture();
    }
    if (reading == null) {
      Future<Void> read = store.get().ofGroup(group).map(storms -> {
        storms.forEach(this::learn);
        heldNow();
        return (Void) null;
      });
      reading = read;
      read.onComplete(ar -> {
        if (reading == read) {
          reading = null;
        }
      });
    }
    return reading;
  }

  /**
   * Trips {@code storm} in the store (a conditional write: a storm that stands already stays as it is) and knows it
   * as the store answered.
   */
  Future<StormStore.Write> trip(Storm storm) {
    return store.orElseThrow(() -> new IllegalStateException("the storm breaker needs the storms table"))
        .trip(storm)
        .onSuccess(tripped -> {
          tripped.storm().ifPresent(this::learn);
          heldNow();
        });
  }

  /** Whether a TRIPPED storm pauses {@code topic}'s {@code partition}. */
  boolean holds(String topic, int partition) {
    return !held.isEmpty() && held.contains(topic + "/" + partition);
  }

  /** The state of the storm of {@code fingerprintId} on {@code topic}'s {@code partition}, if there is one. */
  Optional<StormState> stateOf(String topic, int partition, String fingerprintId) {
    return known.isEmpty() ? Optional.empty()
        : Optional.ofNullable(known.get(Storm.idOf(topic, partition, fingerprintId))).map(Storm::state);
  }

  /** {@code listener} runs (on the context) whenever a partition is no longer paused by a storm. */
  void onLifted(Runnable listener) {
    this.onLifted = listener;
  }

  /** Re-reads the group's storms every {@code interval} (the lane refresh) until {@link #stop}. */
  void start(Vertx vertx, Duration interval) {
    if (store.isPresent()) {
      timer = vertx.setPeriodic(interval.toMillis(), t -> read().onFailure(err -> LOG.warn(
          "group {}: the storms were not read now (the next refresh tries again): {}", group, err.toString())));
    }
  }

  void stop(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Takes {@code storm} as it stands, unless what is known of it is later. */
  private void learn(Storm storm) {
    Storm before = known.get(storm.id());
    if (before != null && before.status().version() > storm.status().version()) {
      return;
    }
    known.put(storm.id(), storm);
  }

  /** Works out the partitions held from the storms known; tells the listener if one is no longer. */
  private void heldNow() {
    List<String> partitions = known.values().stream().filter(s -> s.state().holds())
        .map(s -> s.where().topic() + "/" + s.where().partition()).toList();
    boolean lifted = !partitions.containsAll(held);
    held.clear();
    held.addAll(partitions);
    if (lifted) {
      onLifted.run();
    }
  }
}
