package dev.sluice.quarantine.consumer;

/**
 * Every test of {@link TiersIT} again with records of different keys handled side by side ({@link Handling#BY_KEY}),
 * the handler's calls ending out of order: the retry tiers (in place, delayed, quarantine, redrive) keeps its guarantees with concurrency on.
 */
class ConcurrentTiersIT extends TiersIT {
  @Override
  Handling handling() {
    return Handling.BY_KEY;
  }
}
