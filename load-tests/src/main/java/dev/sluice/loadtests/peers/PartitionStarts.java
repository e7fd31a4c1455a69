package dev.sluice.loadtests.peers;

import dev.sluice.quarantine.consumer.EventHandler;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each partition handed its first record to the handler in one run. A run's rate is timed from the first record
 * handed over, so a partition that starts late (its open items still loading from the store, a late assignment) is
 * counted as slowness: how far apart the partitions started tells whether a slow run was slow throughout.
 */
final class PartitionStarts {
  private final Map<Integer, Long> firsts = new ConcurrentHashMap<>();

  /** {@code handler}, noting the time of each partition's first event before handing it on. */
  EventHandler around(EventHandler handler) {
    return event -> {
      firsts.putIfAbsent(event.partition(), System.nanoTime());
      return handler.handle(event);
    };
  }

  /** Milliseconds from the first partition's first record to the last partition's; 0 with fewer than two. */
  double spreadMs() {
    return spreadMs(firsts.values());
  }

  static double spreadMs(Collection<Long> firstNanos) {
    if (firstNanos.size() < 2) {
      return 0;
    }
    long min = firstNanos.stream().mapToLong(Long::longValue).min().orElseThrow();
    long max = firstNanos.stream().mapToLong(Long::longValue).max().orElseThrow();
    return (max - min) / 1e6;
  }
}
