package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.replay.Replay;
import dev.sluice.quarantine.replay.ReplayStore;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * What one wrapped group instance knows of its group's active replay, and so the replay flag of each event it hands
 * to the handler ({@link ConsumedEvent#replay()}): set while the replay runs for events below their partition's
 * captured end offset ({@link Replay#flags}). Read when a partition is assigned, before any of its records is handled
 * (its worker waits for the read), and again by {@link ReplayProgress} on every lane refresh, so that a cancel or the
 * replay's end is noticed. {@link #none()} when the wrapper was built without the replays table: nothing is flagged.
 *
 * <p>It also says which records the group holds back while the replay is PAUSED or HALTED ({@link #holds}), tells
 * whoever listens when that may have changed, and keeps this instance's counts of the replay ({@link ReplayWatch}).
 *
 * <p>Confined to the consumer's Vert.x context.
 */
final class ReplayFlags {
  private final Optional<ReplayStore> store;
  private final String group;
  private final ReplayWatch watch = new ReplayWatch();
  private Optional<Replay> current = Optional.empty();
  private Future<Optional<Replay>> reading;
  private Runnable onHoldChanged = () -> { };
  private ReplayPace pace = new ReplayPace(Set::of);
  private Consumer<Optional<Replay>> onRead = read -> { };

  private ReplayFlags(Optional<ReplayStore> store, String group) {
    this.store = store;
    this.group = group;
  }

  /** No replays table: no event is ever flagged. */
  static ReplayFlags none(String group) {
    return new ReplayFlags(Optional.empty(), group);
  }

  /** Reads {@code group}'s active replay from {@code store}. */
  static ReplayFlags reading(ReplayStore store, String group) {
    return new ReplayFlags(Optional.of(store), group);
  }

  Optional<ReplayStore> store() {
    return store;
  }

  String group() {
    return group;
  }

  /**
   * Reads the group's active replay now, and flags by it from then on. A read already in flight is shared: it was
   * made just before, which is as good.
   */
  Future<Optional<Replay>> read() {
    if (store.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    if (reading == null) {
      // Flagged by before anyone waiting for the read goes on.
      Future<Optional<Replay>> read = store.get().active(group).map(found -> {
        changed(found);
        onRead.accept(found);
        return found;
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
   * Told of every read of the group's replay, once it is flagged by: the partitions' rewinds start from there (the
   * instances of a group learn of a rewind through the replays table, as of any replay).
   */
  void onRead(Consumer<Optional<Replay>> listener) {
    this.onRead = listener;
  }

  /** The replay as a write of this instance left it (progress, its end): flagged by from now on. */
  void changed(Optional<Replay> replay) {
    boolean held = current.filter(r -> r.state().holds()).isPresent();
    Optional<Replay> before = current;
    // Which partitions are rewound decides what is flagged and passed over: a read that answers after this instance
    // recorded a partition rewound may have been made before, and must not undo it.
    current = replay.map(r -> before.map(r::knowing).orElse(r));
    if (held != current.filter(r -> r.state().holds()).isPresent()) {
      onHoldChanged.run();
    }
  }

  Optional<Replay> current() {
    return current;
  }

  /** The replay flag of the event at {@code offset} of {@code topic}'s {@code partition}, as delivered now. */
  boolean flags(String topic, int partition, long offset) {
    return current.isPresent() && current.get().flags(topic, partition, offset);
  }

  /**
   * Whether the record at {@code offset}, written at {@code time}, is history outside the replay's slice, as delivered
   * now ({@link Replay#skips}): the worker then counts it as done without handing it to the handler.
   */
  boolean skips(String topic, int partition, long offset, Instant time, Optional<String> key, Optional<String> type) {
    return current.isPresent() && current.get().skips(topic, partition, offset, time, key, type);
  }

  /** As {@link #skips}, whatever the record's type ({@link Replay#skipsAnyType}): decided before it is decoded. */
  boolean skipsAnyType(String topic, int partition, long offset, Instant time, Optional<String> key) {
    return current.isPresent() && current.get().skipsAnyType(topic, partition, offset, time, key);
  }

  /**
   * The id of the replay that flags the event at {@code offset} of {@code topic}'s {@code partition} now, if one
   * does: whose counts the event goes to.
   */
  Optional<String> flaggedBy(String topic, int partition, long offset) {
    if (current.isEmpty()) {
      // No replay (nearly always): asked twice per record, so not even a lambda is made.
      return Optional.empty();
    }
    return current.filter(r -> r.flags(topic, partition, offset)).map(Replay::id);
  }

  /** Whether the record at {@code offset} is held back now: the replay is PAUSED or HALTED and the record history. */
  boolean holds(String topic, int partition, long offset) {
    return current.isPresent() && current.get().holds(topic, partition, offset);
  }

  /** {@code listener} runs (on the context) whenever the replay starts or stops holding records back. */
  void onHoldChanged(Runnable listener) {
    this.onHoldChanged = listener;
  }

  ReplayWatch watch() {
    return watch;
  }

  /** How this instance's part of the replay's rate cap is worked out: by the partitions it owns, {@code assigned}. */
  void pacedBy(Supplier<Set<TopicPartition>> assigned) {
    this.pace = new ReplayPace(assigned);
  }

  /**
   * Before the record at {@code offset} is handled: if the replay flags it and has a rate cap, books a token of this
   * instance's share of the cap. The nanoseconds to wait before handling the record (0: at once).
   */
  long pace(String topic, int partition, long offset) {
    if (current.isEmpty()) {
      return 0;
    }
    return current.filter(r -> r.flags(topic, partition, offset)).map(pace::reserve).orElse(0L);
  }
}
