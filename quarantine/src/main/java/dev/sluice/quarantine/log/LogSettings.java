package dev.sluice.quarantine.log;

import java.util.Objects;

/**
 * The quarantine log: a Kafka topic that new QUARANTINED items are appended to (acks=all) instead of being written to
 * the store one conditional write each before their offsets may be committed; an indexer writes them into the store
 * behind it. See {@link QuarantineLog}.
 *
 * @param topic the log's topic, shared by every group that quarantines into the same table, and by no other (its
 *     indexers write what they read into their own table)
 * @param partitions how many partitions the topic is created with (if it does not exist): how many indexers can share
 *     the work
 * @param maxUnindexed how many of one partition's items may be appended and not yet known to be in the store before
 *     the partition waits for the indexer (it bounds what the worker keeps in memory to tell them apart)
 * @param runIndexer whether this wrapper runs a member of the indexer group ({@link #indexerGroup}); at least one
 *     process must, or appended items never reach the store (and new owners of partitions wait for them)
 */
public record LogSettings(String topic, int partitions, int maxUnindexed, boolean runIndexer) {
  public LogSettings {
    Objects.requireNonNull(topic, "topic");
    if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
      throw new IllegalArgumentException("quarantine log topic must be a Kafka topic name, was '" + topic + "'");
    }
    if (partitions < 1 || partitions > 1_000) {
      throw new IllegalArgumentException("quarantine log partitions must be 1..1000");
    }
    if (maxUnindexed < 1) {
      throw new IllegalArgumentException("quarantine log maxUnindexed must be at least 1");
    }
  }

  /** 12 partitions, 50,000 items per partition ahead of the indexer at most, and an indexer in this process. */
  public static LogSettings of(String topic) {
    return new LogSettings(topic, 12, 50_000, true);
  }

  /**
   * The log of one quarantine table, {@code sluice.quarantine-log.<table>}, with the defaults of {@link #of}. A log
   * belongs to one table: its indexers write every item they read into their own wrapper's table, so wrappers of
   * different tables must not share a log topic.
   */
  public static LogSettings forTable(String table) {
    return of(DEFAULT_PREFIX + table);
  }

  /** The topic of a table's log is this and the table's name. */
  public static final String DEFAULT_PREFIX = "sluice.quarantine-log.";

  public LogSettings withoutIndexer() {
    return new LogSettings(topic, partitions, maxUnindexed, false);
  }

  /** The consumer group of the indexers of this log. */
  public String indexerGroup() {
    return topic + ".indexer";
  }
}
