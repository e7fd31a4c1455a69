package dev.sluice.deploy.config;

import dev.sluice.quarantine.log.LogSettings;
import java.util.Optional;

/**
 * The quarantine log of the wrapped consumers Sluice runs (the demo consumer): new QUARANTINED items are appended to a
 * Kafka topic and indexed into the quarantine table behind, so a poison storm moves at the broker's pace. Read from
 * {@code sluice.quarantine.log.*}; on by default.
 *
 * @param log the log's settings, or empty when it is off (every item is then written to the table first)
 */
public record QuarantineLogSettings(Optional<LogSettings> log) {
  /** @param quarantineTable the table the log's items are indexed into: the default topic is named after it */
  static QuarantineLogSettings read(ConfigReader r, String quarantineTable) {
    LogSettings d = LogSettings.forTable(quarantineTable);
    boolean enabled = r.bool("sluice.quarantine.log.enabled", true);
    String topic = r.string("sluice.quarantine.log.topic", d.topic());
    int partitions = r.integer("sluice.quarantine.log.partitions", d.partitions(), 1, 1_000);
    int maxUnindexed = r.integer("sluice.quarantine.log.max.unindexed", d.maxUnindexed(), 1, 10_000_000);
    boolean indexer = r.bool("sluice.quarantine.log.indexer", d.runIndexer());
    return r.build("sluice.quarantine.log", () -> new QuarantineLogSettings(enabled
        ? Optional.of(new LogSettings(topic, partitions, maxUnindexed, indexer)) : Optional.empty()));
  }
}
