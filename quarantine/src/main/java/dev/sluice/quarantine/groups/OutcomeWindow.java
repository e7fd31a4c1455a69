package dev.sluice.quarantine.groups;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns a process's running {@link OutcomeCounts} into what each heartbeat reports: per stream, the records finished
 * since the previous heartbeat, and how long that window was. The heartbeat carries per-window counts rather than
 * totals so that a reader needs no earlier item to compute a rate: an instance's item is overwritten by every
 * heartbeat, and a restarted process is a new instance whose totals start again at 0.
 *
 * <p>The first call only takes the starting point and reports nothing (a window of a few milliseconds, from the
 * wrapper's start to its first heartbeat, would give a meaningless rate); nor does a call whose clock did not move
 * forward. A failed heartbeat's window is not carried over: the next one reports its own, so a rate is always over one
 * interval.
 *
 * <p>Not thread-safe: confined to the heartbeater's context, which calls it once per heartbeat.
 */
public final class OutcomeWindow {
  private final OutcomeCounts counts;
  private Map<String, OutcomeCounts.Totals> previous;
  private long previousMillis;

  public OutcomeWindow(OutcomeCounts counts) {
    this.counts = Objects.requireNonNull(counts, "counts");
  }

  /**
   * Per stream of {@code streams} (at most {@link GroupHeartbeat#MAX_STREAMS}), what was finished since the previous
   * call, measured at {@code nowMillis}; a stream not counted yet reports 0 of each. Empty on the first call.
   */
  public SortedMap<String, StreamOutcomes> next(Set<String> streams, long nowMillis) {
    Map<String, OutcomeCounts.Totals> totals = counts.totals();
    TreeMap<String, StreamOutcomes> out = new TreeMap<>();
    if (previous != null && nowMillis > previousMillis) {
      double window = (nowMillis - previousMillis) / 1000.0;
      OutcomeCounts.Totals zero = new OutcomeCounts.Totals(0, 0);
      for (String stream : streams) {
        if (out.size() >= GroupHeartbeat.MAX_STREAMS) {
          break;
        }
        OutcomeCounts.Totals now = totals.getOrDefault(stream, zero);
        OutcomeCounts.Totals then = previous.getOrDefault(stream, zero);
        out.put(stream, new StreamOutcomes(now.handled() - then.handled(), now.quarantined() - then.quarantined(),
            window));
      }
    }
    if (previous == null || nowMillis > previousMillis) {
      previous = new HashMap<>(totals);
      previousMillis = nowMillis;
    }
    return out;
  }
}
