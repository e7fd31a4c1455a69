package dev.sluice.console.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * How bulk redrive jobs run.
 *
 * @param table the DynamoDB table of jobs ({@code sluice.console.jobs.table})
 * @param halt when a job halts itself ({@code sluice.console.jobs.halt.ratio}, {@code sluice.console.jobs.halt.min})
 * @param outcomeCheckEvery how often a job re-reads the states of the items it sent to learn their outcomes
 * @param maxRatePerSecond the highest rate a job may ask for
 */
public record JobSettings(String table, HaltRule halt, Duration outcomeCheckEvery, int maxRatePerSecond) {
  public static final String DEFAULT_TABLE = "sluice-console-jobs";
  public static final Duration DEFAULT_OUTCOME_CHECK = Duration.ofSeconds(1);
  public static final int DEFAULT_MAX_RATE = 5_000;

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
  }

  public static JobSettings defaults() {
    return new JobSettings(DEFAULT_TABLE, HaltRule.DEFAULT, DEFAULT_OUTCOME_CHECK, DEFAULT_MAX_RATE);
  }

  public JobSettings withTable(String t) {
    return new JobSettings(t, halt, outcomeCheckEvery, maxRatePerSecond);
  }

  public JobSettings withHalt(HaltRule h) {
    return new JobSettings(table, h, outcomeCheckEvery, maxRatePerSecond);
  }
}
