package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.replay.Replay;
import dev.sluice.quarantine.replay.ReplayStore;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What one wrapped group instance knows of its group's active replay, and so the replay flag of each event it hands
 * to the handler ({@link ConsumedEvent#replay()}): set while the replay runs for events below their partition's
 * captured end offset ({@link Replay#flags}). Read when a partition is assigned, before any of its records is handled
 * (its worker waits for the read), and again by {@link ReplayProgress} on every lane refresh, so that a cancel or the
 * replay's end is noticed. {@link #none()} when the wrapper was built without the replays table: nothing is flagged.
 *
 * <p>Confined to the consumer's Vert.x context.
 */
final class ReplayFlags {
  private final Optional<ReplayStore> store;
  private final String group;
  private Optional<Replay> current = Optional.empty();
  private Future<Optional<Replay>> reading;
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
        current = found;
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
    current = replay;
  }

  Optional<Replay> current() {
    return current;
  }

  /** The replay flag of the event at {@code offset} of {@code topic}'s {@code partition}, as delivered now. */
  boolean flags(String topic, int partition, long offset) {
    return current.isPresent() && current.get().flags(topic, partition, offset);
  }
}
