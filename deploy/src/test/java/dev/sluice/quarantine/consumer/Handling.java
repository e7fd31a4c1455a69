package dev.sluice.quarantine.consumer;

import java.util.function.UnaryOperator;

/**
 * How the wrapped consumers of a test handle a partition's records: strictly one at a time, or records of different
 * keys side by side. The consumer ITs run in both: each {@code Concurrent...IT} runs every test of its base class
 * again with {@link #BY_KEY}, where the scripted handler's calls also end out of order, after waits of up to 20 ms
 * ({@link WrapperHarness} sets that from the configuration), so that the guarantees are shown with calls overlapping.
 */
enum Handling {
  ORDERED,
  BY_KEY;

  /** Small limits, so that the per-consumer limit is reached too. */
  static final Concurrency LIMITS = Concurrency.byKey(8, 12);

  /** {@code tune}, then this handling's concurrency. */
  UnaryOperator<WrapperConfig> tune(UnaryOperator<WrapperConfig> tune) {
    return this == ORDERED ? tune : c -> tune.apply(c).withConcurrency(LIMITS);
  }
}
