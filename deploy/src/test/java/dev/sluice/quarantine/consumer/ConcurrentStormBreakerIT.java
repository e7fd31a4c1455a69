package dev.sluice.quarantine.consumer;

/**
 * Every test of {@link StormBreakerIT} again with records of different keys handled side by side
 * ({@link Handling#BY_KEY}: 8 per partition, 12 per consumer), the handler's calls ending out of order: records in
 * the handler when the breaker trips finish, those failing with the storm's fingerprint are held back too, and
 * nothing is lost.
 */
class ConcurrentStormBreakerIT extends StormBreakerIT {
  @Override
  Handling handling() {
    return Handling.BY_KEY;
  }
}
