package dev.sluice.deploy.config;

import java.time.Duration;

/**
 * The consumer-group registry: where groups heartbeat (group, streams, schema versions seen) so that the console can
 * answer "who consumes this stream, on which versions?". Read from {@code sluice.groups.*}.
 *
 * @param table the DynamoDB table of the heartbeats
 * @param heartbeatInterval time between an instance's heartbeats
 * @param aliveFor how long after its last heartbeat an instance still counts; several intervals
 */
public record GroupsSettings(String table, Duration heartbeatInterval, Duration aliveFor) {
  public GroupsSettings {
    if (table == null || table.length() < 3) {
      throw new IllegalArgumentException("sluice.groups.table needs at least 3 characters");
    }
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("sluice.groups.heartbeat.interval must be positive");
    }
    if (aliveFor.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "sluice.groups.alive.for must be at least twice sluice.groups.heartbeat.interval, or a live instance would "
              + "drop out between two heartbeats");
    }
  }

  static GroupsSettings read(ConfigReader r) {
    String table = r.string("sluice.groups.table", "sluice-groups");
    Duration interval = r.duration("sluice.groups.heartbeat.interval", Duration.ofSeconds(10));
    Duration alive = r.duration("sluice.groups.alive.for", Duration.ofSeconds(45));
    return r.build("sluice.groups", () -> new GroupsSettings(table, interval, alive));
  }
}
