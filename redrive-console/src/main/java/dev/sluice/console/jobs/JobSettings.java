package dev.sluice.console.jobs;

import dev.sluice.quarantine.guard.HaltRule;
import java.time.Duration;
import java.util.Objects;

/**
 * How bulk redrive jobs run.
 *
 * @param table the DynamoDB table of jobs ({@code sluice.console.jobs.table})
 * @param halt when a job halts itself ({@code sluice.console.jobs.halt.ratio}, {@code sluice.console.jobs.halt.min})
 * @param outcomeCheckEvery how often a job re-reads the states of the items it sent to learn their outcomes
 * @param maxRatePerSecond the highest rate a job may ask for
 * @param lease how long a console instance's claim to run a job lasts unless renewed ({@code sluice.console.jobs.lease}):
 *     how soon another instance takes over the jobs of one that died; renewed every third of it
 */
public record JobSettings(String table, HaltRule halt, Duration outcomeCheckEvery, int maxRatePerSecond,
    Duration lease) {
  public static final String DEFAULT_TABLE = "sluice-console-jobs";
  public static final Duration DEFAULT_OUTCOME_CHECK = Duration.ofSeconds(1);
  public static final int DEFAULT_MAX_RATE = 5_000;
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  /** Shortest lease: renewals every third of it must fit comfortably in it, DynamoDB round trips included. */
  public static final Duration MIN_LEASE = Duration.ofSeconds(3);

  public JobSettings {
    if (table == null || !table.matches("[A-Za-z0-9_.-]{3,255}")) {
      throw new IllegalArgumentException(
          "sluice.console.jobs.table must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -), was " + table);
    }
    Objects.requireNonNull(halt, "halt");
    if (outcomeCheckEvery == null || outcomeCheckEvery.toMillis() < 10) {
      throw new IllegalArgumentException("the outcome check interval must be at least 10 ms");
    }
    if (maxRatePerSecond < 1) {
      throw new IllegalArgumentException("the maximum job rate must be at least 1");
    }
    if (lease == null || lease.compareTo(MIN_LEASE) < 0) {
      throw new IllegalArgumentException("sluice.console.jobs.lease must be at least " + MIN_LEASE.toSeconds()
          + "s, was " + lease);
    }
  }

  public static JobSettings defaults() {
    return new JobSettings(DEFAULT_TABLE, HaltRule.DEFAULT, DEFAULT_OUTCOME_CHECK, DEFAULT_MAX_RATE, DEFAULT_LEASE);
  }

  public JobSettings withTable(String t) {
    return new JobSettings(t, halt, outcomeCheckEvery, maxRatePerSecond, lease);
  }

  public JobSettings withHalt(HaltRule h) {
    return new JobSettings(table, h, outcomeCheckEvery, maxRatePerSecond, lease);
  }

  public JobSettings withLease(Duration l) {
    return new JobSettings(table, halt, outcomeCheckEvery, maxRatePerSecond, l);
  }

  /** How often the owner renews a lease, and other instances look for jobs nobody runs. */
  public Duration leaseRenewEvery() {
    return lease.dividedBy(3);
  }
}
