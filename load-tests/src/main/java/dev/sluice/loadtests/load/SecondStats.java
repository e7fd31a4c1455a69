package dev.sluice.loadtests.load;

/**
 * One second of a run, by the time requests were due (open model: a request's clock starts at its scheduled start, so
 * queueing in the generator or the server shows as latency).
 *
 * @param second seconds since the run started
 * @param offered requests/s the schedule offered in this second
 * @param sent requests started
 * @param ok answered as expected
 * @param ko answered otherwise, or failed
 * @param p50Micros median latency of the answered requests, -1 when none
 * @param p95Micros 95th percentile, -1 when none
 * @param p99Micros 99th percentile, -1 when none
 * @param maxMicros the slowest, -1 when none
 */
public record SecondStats(int second, double offered, long sent, long ok, long ko, long p50Micros, long p95Micros,
    long p99Micros, long maxMicros) {

  public long answered() {
    return ok + ko;
  }
}
