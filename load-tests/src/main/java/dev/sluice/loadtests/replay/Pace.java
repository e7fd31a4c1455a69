package dev.sluice.loadtests.replay;

import java.time.Duration;

/**
 * How fast a replay goes through history, in the stream's own time, and what a replay target asks for. Pure
 * arithmetic, kept apart so that the figures in the report and in docs/replay.md come from one tested place.
 */
final class Pace {
  private Pace() {}

  /**
   * The speed multiple of real time: the event time a replay covered per second of wall-clock time. A replay of three
   * years of history in 60 s goes at about 1.6 million times real time.
   */
  static double multipleOfRealTime(Duration eventTimeCovered, double wallSeconds) {
    if (wallSeconds <= 0) {
      return Double.NaN;
    }
    return eventTimeCovered.toMillis() / 1e3 / wallSeconds;
  }

  /**
   * The events per second a replay needs to go through {@code history} of a stream averaging {@code averageRate}
   * events/s within {@code within}: three years of 100 events/s in one hour need about 2.6 million events/s.
   */
  static double neededRate(double averageRate, Duration history, Duration within) {
    return averageRate * (history.toMillis() / 1e3) / (within.toMillis() / 1e3);
  }

  /**
   * Partitions needed, each read by a consumer instance of its own, for {@code neededRate} when one partition is
   * replayed at {@code perPartitionRate}: a group cannot read a partition faster than one instance handles it.
   */
  static long partitionsFor(double neededRate, double perPartitionRate) {
    if (perPartitionRate <= 0) {
      throw new IllegalArgumentException("a per-partition rate must be above 0, not " + perPartitionRate);
    }
    return (long) Math.ceil(neededRate / perPartitionRate);
  }
}
