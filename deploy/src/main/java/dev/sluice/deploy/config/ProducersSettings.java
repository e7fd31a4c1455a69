package dev.sluice.deploy.config;

import dev.sluice.storekit.producers.ProducerReport;
import java.time.Duration;

/**
 * The producers table: where each gateway instance reports, every {@code reportInterval}, the events each API key
 * appended to each stream, so that a stream's catalog page can show "producers seen". Written by the gateway, read by
 * the console. Read from {@code sluice.producers.*}.
 *
 * @param table the DynamoDB table of the reports; {@value #NONE}: no reports are made or read (a gateway that keeps
 *     no rejects and no dedup items then needs no DynamoDB at all)
 * @param reportInterval time between a gateway instance's reports: how fresh the page's rates are
 * @param retention how long a report is kept after it was made (its TTL): a key that stopped posting stays listed,
 *     idle, that long; at least {@value ProducerReport#LIVE_INTERVALS} intervals, or a current report could expire
 */
public record ProducersSettings(String table, Duration reportInterval, Duration retention) {
  public static final String DEFAULT_TABLE = "sluice-producers";
  /** The table setting that turns the reports off. */
  public static final String NONE = "none";

  public ProducersSettings {
    if (table == null || !table.matches("[A-Za-z0-9_.-]{3,255}")) {
      throw new IllegalArgumentException(
          "sluice.producers.table must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -), was " + table);
    }
    if (reportInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("sluice.producers.report.interval must be at least 1s");
    }
    if (retention.compareTo(reportInterval.multipliedBy(ProducerReport.LIVE_INTERVALS)) < 0) {
      throw new IllegalArgumentException("sluice.producers.retention must be at least " + ProducerReport.LIVE_INTERVALS
          + " times sluice.producers.report.interval, or a current report could expire");
    }
  }

  /** Whether gateways report to the table and the console reads it ({@code table} is not {@value #NONE}). */
  public boolean reporting() {
    return !NONE.equals(table);
  }

  static ProducersSettings read(ConfigReader r) {
    String table = r.string("sluice.producers.table", DEFAULT_TABLE);
    Duration interval = r.duration("sluice.producers.report.interval", Duration.ofSeconds(15));
    Duration retention = r.duration("sluice.producers.retention", Duration.ofHours(24));
    return r.build("sluice.producers", () -> new ProducersSettings(table, interval, retention));
  }
}
