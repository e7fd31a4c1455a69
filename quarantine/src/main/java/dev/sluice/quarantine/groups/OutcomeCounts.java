package dev.sluice.quarantine.groups;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per stream, how many records this process finished since it started: handled (the handler accepted them) and
 * quarantined (durably diverted to the quarantine), for the group's heartbeat ({@link OutcomeWindow} turns the
 * totals into per-window counts).
 *
 * <p>Counted once per record finished, from any thread (the partitions' event loops, the drainers), so the hot path is
 * one map lookup and a {@link LongAdder} increment: no lock, no allocation. A stream's first count adds its entry.
 * At most {@link GroupHeartbeat#MAX_STREAMS} streams are counted (a process reads its topics' streams, far fewer);
 * beyond that a new stream is not counted, so memory stays bounded whatever the input.
 *
 * <p>Thread-safe. Totals only grow; a reader sees each adder's sum as of its read (counts racing with it show in the
 * next read), which is all a per-window count needs.
 */
public final class OutcomeCounts {
  private final ConcurrentHashMap<String, Adders> byStream = new ConcurrentHashMap<>();

  /** A record of {@code stream} the handler accepted. */
  public void handled(String stream) {
    Adders a = adders(stream);
    if (a != null) {
      a.handled.increment();
    }
  }

  /** A record of {@code stream} durably diverted to the quarantine. */
  public void quarantined(String stream) {
    Adders a = adders(stream);
    if (a != null) {
      a.quarantined.increment();
    }
  }

  /** Per stream counted, the totals since this process started. */
  public Map<String, Totals> totals() {
    Map<String, Totals> out = new HashMap<>();
    byStream.forEach((stream, a) -> out.put(stream, new Totals(a.handled.sum(), a.quarantined.sum())));
    return out;
  }

  /** The stream's adders; null when the bound is reached and the stream is new. */
  private Adders adders(String stream) {
    Adders known = byStream.get(stream);
    if (known != null) {
      return known;
    }
    Objects.requireNonNull(stream, "stream");
    if (byStream.size() >= GroupHeartbeat.MAX_STREAMS) {
      // Racing first counts of new streams may overshoot the bound by a few: the heartbeat drops what exceeds it.
      return null;
    }
    return byStream.computeIfAbsent(stream, s -> new Adders());
  }

  /** A stream's totals since the process started. */
  public record Totals(long handled, long quarantined) {}

  private static final class Adders {
    final LongAdder handled = new LongAdder();
    final LongAdder quarantined = new LongAdder();
  }
}
