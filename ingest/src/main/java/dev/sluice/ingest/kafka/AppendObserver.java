package dev.sluice.ingest.kafka;

/**
 * Hears of every append that failed for a reason a retry may overcome ({@link AppendFailure#retryable()}), so that
 * its owner can count outages in its own meters (the gateway's {@code sluice_gateway_unavailable_total}); the
 * appender itself knows no metrics.
 */
@FunctionalInterface
public interface AppendObserver {
  /** Hears nothing: for owners that count nothing. */
  AppendObserver NONE = cause -> {};

  /** One append failed with {@code cause}, which is retryable. Called on whatever thread settled the append. */
  void unavailable(AppendFailure cause);
}
