package dev.sluice.gateway.producers;

import dev.sluice.storekit.producers.ProducerReport;

/**
 * Where the reporter writes a report: the producers table ({@code ProducerReports::putNow}) in production.
 * Blocking; the reporter calls it on a worker, never on an event loop.
 */
@FunctionalInterface
public interface ReportWriter {
  /** True if written, false if a later report of the same item stood; a failure is thrown. */
  boolean write(ProducerReport report);
}
