package dev.sluice.loadtests.method;

/** One run of one variant of a benchmark, from start to end: what it reached, in its unit per second. */
@FunctionalInterface
public interface Trial {
  /** @return the rate this run reached (events/s, requests/s...); 0 or less when it did nothing */
  double run() throws Exception;
}
