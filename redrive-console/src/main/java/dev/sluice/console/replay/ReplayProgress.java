package dev.sluice.console.replay;

import dev.sluice.console.progress.ProgressRate;
import dev.sluice.quarantine.replay.Replay;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A replay's progress as its event stream shows it: the replay ({@link ReplayJson}) plus, per partition and in total,
 * {@code eventsPerSecond} (how fast the recorded {@code reached} offsets advance, smoothed over the reads),
 * {@code remaining} (end minus reached, 0 once a partition has passed its end) and {@code etaSeconds} (remaining at
 * that rate; absent while the rate is 0 and something remains), and per partition whose instances report the event
 * time they reached ({@code watch.timeReached}), {@code speedMultiple}: event time advanced per wall-clock second, as
 * a multiple of real time (a partition replaying a day of history a second runs at 86,400x). Times are passed in
 * (nanoseconds from a monotonic clock), so it is tested without waiting. One per stream; not thread-safe.
 */
final class ReplayProgress {
  private final Map<Integer, ProgressRate> partitions = new HashMap<>();
  /** Per partition, how fast the event time reached advances: milliseconds of event time per second. */
  private final Map<Integer, ProgressRate> eventTime = new HashMap<>();
  private final ProgressRate total;
  private final long startNanos;

  ReplayProgress(Replay first, long nanos) {
    this.startNanos = nanos;
    for (int p : first.plan().partitions()) {
      partitions.put(p, new ProgressRate(nanos, first.reached(p)));
    }
    this.total = new ProgressRate(nanos, reached(first));
  }

  /** The event for {@code replay} as read at {@code nanos}: the rates take this read as a sample. */
  JsonObject event(Replay replay, long nanos) {
    JsonObject event = ReplayJson.of(replay);
    long remaining = 0;
    for (Object o : event.getJsonArray("partitions", new JsonArray())) {
      JsonObject partition = (JsonObject) o;
      int p = partition.getInteger("partition");
      ProgressRate rate = partitions.computeIfAbsent(p, k -> new ProgressRate(startNanos, replay.plan().startOf(p)));
      rate.sample(nanos, replay.reached(p));
      long left = remaining(replay, p);
      remaining += left;
      measure(partition, rate, left);
      Instant time = replay.watch().timeReached().get(p);
      if (time != null) {
        // The first report is the baseline: a multiple needs two points in event time.
        ProgressRate speed = eventTime.computeIfAbsent(p, k -> new ProgressRate(nanos, time.toEpochMilli()));
        speed.sample(nanos, time.toEpochMilli());
        partition.put("timeReached", time.toString())
            .put("speedMultiple", Math.round(speed.perSecond() / 1000.0 * 10) / 10.0);
      }
    }
    total.sample(nanos, reached(replay));
    return measure(event, total, remaining);
  }

  private static JsonObject measure(JsonObject into, ProgressRate rate, long remaining) {
    into.put("eventsPerSecond", Math.round(rate.perSecond() * 10) / 10.0).put("remaining", remaining);
    rate.etaSeconds(remaining).ifPresent(eta -> into.put("etaSeconds", eta));
    return into;
  }

  private static long remaining(Replay replay, int partition) {
    return replay.passed(partition) ? 0 : replay.plan().endOf(partition) - replay.reached(partition);
  }

  private static long reached(Replay replay) {
    return replay.plan().partitions().stream().mapToLong(replay::reached).sum();
  }
}
