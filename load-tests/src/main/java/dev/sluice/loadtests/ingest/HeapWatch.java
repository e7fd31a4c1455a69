package dev.sluice.loadtests.ingest;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap use under load, three ways: the heap in use sampled every {@value #SAMPLE_MS} ms (the sawtooth, whose peaks
 * show the working set), the heap left after each garbage collection while watching (the sawtooth's floor, which
 * rises only if something is retained), and the live heap after an explicit full GC before and after. The heap belongs to the whole JVM (broker, gateway and load generator share it), so growth means
 * something in the stack retains memory; the figure bounds the gateway's share from above.
 */
public final class HeapWatch implements AutoCloseable {
  private static final long MB = 1024L * 1024L;
  static final long SAMPLE_MS = 250;

  private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP)
      .map(MemoryPoolMXBean::getName)
      .collect(Collectors.toUnmodifiableSet());
  private final List<Long> afterGc = new ArrayList<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onNotification;
  private final List<Long> used = new ArrayList<>();
  private final Thread sampler;
  private final long liveBefore;

  private HeapWatch(long liveBefore) {
    this.liveBefore = liveBefore;
    this.sampler = new Thread(this::sample, "heap-sampler");
    this.sampler.setDaemon(true);
  }

  private void sample() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        long u = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        synchronized (used) {
          used.add(u);
        }
        Thread.sleep(SAMPLE_MS);
      }
    } catch (InterruptedException e) {
      // stop() asked us to finish
    }
  }

  /** Collects fully, notes the live heap, then records the heap after each collection until closed. */
  public static HeapWatch start() {
    HeapWatch w = new HeapWatch(liveHeapAfterFullGc());
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(w.listener, null, null);
        w.emitters.add(e);
      }
    }
    w.sampler.start();
    return w;
  }

  /** What was seen, in MiB. */
  public record Summary(long liveBeforeMb, long liveAfterMb, Series usedMb, Series afterGcMb) {
    /**
     * Flat: the live heap after the load is within 25 % (or 32 MiB, whichever is more) of the live heap before it. A
     * leak proportional to the events handled would show far more over a sustained phase.
     */
    public boolean flat() {
      return liveAfterMb - liveBeforeMb <= Math.max(32, liveBeforeMb / 4);
    }
  }

  /** First, last and largest of a series of samples, in MiB; all -1 when there was none. */
  public record Series(int count, long first, long last, long max) {
    static Series of(List<Long> bytes) {
      synchronized (bytes) {
        if (bytes.isEmpty()) {
          return new Series(0, -1, -1, -1);
        }
        long max = bytes.stream().mapToLong(Long::longValue).max().orElse(0);
        return new Series(bytes.size(), bytes.get(0) / MB, bytes.get(bytes.size() - 1) / MB, max / MB);
      }
    }
  }

  /** Stops watching, collects fully again, and sums up. */
  public Summary stop() throws InterruptedException {
    close();
    sampler.join();
    long liveAfter = liveHeapAfterFullGc();
    return new Summary(liveBefore / MB, liveAfter / MB, Series.of(used), Series.of(afterGc));
  }

  @Override
  public void close() {
    sampler.interrupt();
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // already removed
      }
    }
    emitters.clear();
  }

  private void onNotification(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long used = 0;
    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        used += e.getValue().getUsed();
      }
    }
    synchronized (afterGc) {
      afterGc.add(used);
    }
  }

  static long liveHeapAfterFullGc() {
    // Two rounds: the first may only queue finalizable or softly reachable objects.
    ManagementFactory.getMemoryMXBean().gc();
    ManagementFactory.getMemoryMXBean().gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
