package dev.sluice.quarantine.consumer;

/**
 * Every test of {@link OutageIT} again with records of different keys handled side by side ({@link Handling#BY_KEY}),
 * the handler's calls ending out of order: the outage behaviour (nothing committed past an unrecorded record, nothing lost) keeps its guarantees with concurrency on.
 */
class ConcurrentOutageIT extends OutageIT {
  @Override
  Handling handling() {
    return Handling.BY_KEY;
  }
}
