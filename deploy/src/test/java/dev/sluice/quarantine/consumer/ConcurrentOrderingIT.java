package dev.sluice.quarantine.consumer;

/**
 * Every test of {@link OrderingIT} again with records of different keys handled side by side ({@link Handling#BY_KEY}),
 * the handler's calls ending out of order: the ordering guard (parking, releases, restarts, rebalances) keeps its guarantees with concurrency on.
 */
class ConcurrentOrderingIT extends OrderingIT {
  @Override
  Handling handling() {
    return Handling.BY_KEY;
  }
}
