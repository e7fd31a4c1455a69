package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.replay.Replay;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replay meters of one partition: how far this instance got in the partition's history, against its captured
 * end, at what speed, and when it will be live. The worker tells it of each replayed record it finishes; every lane
 * refresh samples the rates over the refresh and registers the meters while the group's replay is active and has
 * history on the partition (removes them otherwise), so labels stay bounded: group, topic, partition.
 *
 * <p>Updated on the consumer's context; read by scrapes from any thread, so each published value is volatile.
 */
final class ReplayGauges implements ConsumerMetrics.ReplayView {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayGauges.class);

  private final ConsumerMetrics metrics;
  private final String topic;
  private final int partition;
  private AutoCloseable meters;

  // On the context: what was finished since the last sample.
  private long reached = -1;
  private long eventTimeMillis = -1;
  private long sampledAtNanos;
  private long sampledReached = -1;
  private long sampledEventTimeMillis = -1;

  private volatile double reachedOffset = Double.NaN;
  private volatile double endOffset = Double.NaN;
  private volatile double eventTimeSeconds = Double.NaN;
  private volatile double eventsPerSecond;
  private volatile double speedMultiple;
  private volatile double etaSeconds = Double.NaN;
  private volatile double held;

  ReplayGauges(ConsumerMetrics metrics, String topic, int partition) {
    this.metrics = metrics;
    this.topic = topic;
    this.partition = partition;
  }

  /** A replayed record at {@code offset} with record time {@code timestampMillis} is finished. */
  void finished(long offset, long timestampMillis) {
    reached = offset + 1;
    eventTimeMillis = Math.max(eventTimeMillis, timestampMillis);
    reachedOffset = reached;
    eventTimeSeconds = eventTimeMillis / 1000.0;
  }

  /** Samples the rates since the last sample, as the group's replay {@code current} stands ({@code now}: nanoTime). */
  void sample(Optional<Replay> current, long now) {
    // A partition with no history to replay (its start is its end) is simply live: no replay meters.
    Optional<Replay> covering = current.filter(r -> !r.state().isFinal() && r.plan().topic().equals(topic)
        && r.plan().end().containsKey(partition) && r.plan().startOf(partition) < r.plan().endOf(partition));
    if (covering.isEmpty()) {
      close();
      return;
    }
    Replay r = covering.get();
    long end = r.plan().endOf(partition);
    long at = Math.max(reached, r.reached(partition));
    double seconds = (now - sampledAtNanos) / 1e9;
    if (sampledAtNanos != 0 && seconds > 0) {
      eventsPerSecond = sampledReached < 0 ? 0 : Math.max(0, at - sampledReached) / seconds;
      speedMultiple = sampledEventTimeMillis < 0 || eventTimeMillis < 0 ? 0
          : Math.max(0, eventTimeMillis - sampledEventTimeMillis) / 1000.0 / seconds;
    }
    sampledAtNanos = now;
    sampledReached = at;
    sampledEventTimeMillis = eventTimeMillis;
    reachedOffset = at;
    endOffset = end;
    etaSeconds = at >= end ? 0 : eventsPerSecond > 0 ? (end - at) / eventsPerSecond : Double.NaN;
    held = r.state().holds() ? 1 : 0;
    if (meters == null) {
      meters = metrics.replayPartition(topic, partition, this);
    }
  }

  /** Removes the meters (the replay ended, or the partition is gone). */
  void close() {
    if (meters != null) {
      try {
        meters.close();
      } catch (Exception e) {
        LOG.debug("replay meters of {}-{} not removed: {}", topic, partition, e.toString());
      }
      meters = null;
    }
  }

  @Override
  public double reachedOffset() {
    return reachedOffset;
  }

  @Override
  public double endOffset() {
    return endOffset;
  }

  @Override
  public double eventTimeSeconds() {
    return eventTimeSeconds;
  }

  @Override
  public double eventsPerSecond() {
    return eventsPerSecond;
  }

  @Override
  public double speedMultiple() {
    return speedMultiple;
  }

  @Override
  public double etaSeconds() {
    return etaSeconds;
  }

  @Override
  public double held() {
    return held;
  }
}
