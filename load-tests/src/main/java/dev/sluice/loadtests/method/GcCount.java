package dev.sluice.loadtests.method;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/** Garbage collections in this JVM so far, all collectors together: a run's count is the difference. */
final class GcCount {
  private GcCount() {}

  static long now() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionCount());
    }
    return total;
  }
}
