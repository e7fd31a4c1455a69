package dev.sluice.gateway.producers;

import dev.sluice.storekit.producers.ProducerReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the tally into reports, one report interval at a time: which pairs are due, over which window, and with how
 * many events. Confined to the reporter's context (not thread-safe); the counts it reads are.
 *
 * <p>A pair is due when it counted events since its last written report, or when that report had events (so a key
 * that stopped posting gets one report that says so, and then none until it posts again). A pair's window starts
 * where its last written report ended: a report that failed is not lost, its events and time go into the next
 * window, so the rate stays right. An idle pair's window start moves on with every interval, so that its next
 * events are not spread over the time it was quiet. A new pair's window starts at the previous interval (its events
 * came after it).
 */
final class ReportWindows {
  /** Where a pair's next window starts, and what its last written report said. */
  private record Baseline(long reportedTotal, Instant windowStart, long lastWindowEvents) {}

  /** A report to write, and the count it is of. */
  record Due(ProducerCount count, ProducerReport report) {}

  private final ProducerTally tally;
  private final String instance;
  private final Duration interval;
  private final Map<ProducerCount, Baseline> baselines = new IdentityHashMap<>();
  private Instant previous;

  ReportWindows(ProducerTally tally, String instance, Duration interval) {
    this.tally = Objects.requireNonNull(tally, "tally");
    this.instance = Objects.requireNonNull(instance, "instance");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.previous = tally.since();
  }

  /** The reports due {@code now}, the end of their windows. */
  List<Due> due(Instant now) {
    List<Due> due = new ArrayList<>();
    Instant windowsOfNewPairs = previous;
    tally.forEach((stream, keyName, count) -> {
      // Read once: events counted after this are in the next window.
      long total = count.total();
      Baseline b = baselines.computeIfAbsent(count, c -> new Baseline(0, windowsOfNewPairs, 0));
      long events = total - b.reportedTotal();
      if (events == 0 && b.lastWindowEvents() == 0) {
        baselines.put(count, new Baseline(total, now, 0));
        return;
      }
      Duration window = Duration.between(b.windowStart(), now);
      due.add(new Due(count, new ProducerReport(stream, keyName, instance, events,
          window.toMillis() < 1 ? Duration.ofMillis(1) : window, interval, total,
          Instant.ofEpochMilli(count.lastSeenMillis()), now)));
    });
    previous = now;
    return due;
  }

  /** {@code d} was written (or a later report stood already): the pair's next window starts where it ended. */
  void written(Due d) {
    baselines.put(d.count(), new Baseline(d.report().totalEvents(), d.report().reportedAt(),
        d.report().windowEvents()));
  }
}
