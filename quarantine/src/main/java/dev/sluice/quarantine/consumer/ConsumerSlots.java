package dev.sluice.quarantine.consumer;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The per-consumer limit on records in the handler at once ({@link Concurrency#perConsumer}), shared by the
 * consumer's partition workers: a worker takes a slot before it starts a record and gives it back when the record
 * leaves its hand. A worker refused a slot is woken, in turn, when one is given back.
 *
 * <p>Confined to the consumer's Vert.x context, like the workers. Waking is queued on that context (never run inside
 * the worker that gave the slot back), so one worker's record never runs another's.
 */
final class ConsumerSlots {
  private final int limit;
  private final Consumer<Runnable> schedule;
  private final Set<Runnable> waiting = new LinkedHashSet<>();
  private int taken;
  private boolean wakeQueued;

  /**
   * @param limit records in hand at once over all the consumer's partitions
   * @param schedule queues a task on the consumer's context; it is given the task that wakes waiting workers
   */
  ConsumerSlots(int limit, Consumer<Runnable> schedule) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    this.limit = limit;
    this.schedule = schedule;
  }

  /** Takes a slot; if none is free, {@code wake} runs once one is given back (then the worker asks again). */
  boolean take(Runnable wake) {
    if (taken < limit) {
      taken++;
      return true;
    }
    waiting.add(wake);
    return false;
  }

  /** A record left its worker's hand. */
  void give() {
    taken--;
    if (!waiting.isEmpty() && !wakeQueued) {
      wakeQueued = true;
      schedule.accept(this::wakeWaiting);
    }
  }

  /** Wakes waiting workers in the order they waited, while slots are free; each takes one if it still wants it. */
  private void wakeWaiting() {
    wakeQueued = false;
    // A woken worker that is refused again waits anew, at the end; the loop ends once every slot is taken.
    while (taken < limit && !waiting.isEmpty()) {
      Iterator<Runnable> first = waiting.iterator();
      Runnable wake = first.next();
      first.remove();
      wake.run();
    }
  }

  int taken() {
    return taken;
  }
}
