package dev.sluice.quarantine.consumer;

/**
 * Every test of {@link QuarantiningPollLoopIT} again with records of different keys handled side by side ({@link Handling#BY_KEY}),
 * the handler's calls ending out of order: the plain poll loop (retries, parking, dedup, outages, rebalances, restarts) keeps its guarantees with concurrency on.
 */
class ConcurrentPollLoopIT extends QuarantiningPollLoopIT {
  @Override
  Handling handling() {
    return Handling.BY_KEY;
  }
}
