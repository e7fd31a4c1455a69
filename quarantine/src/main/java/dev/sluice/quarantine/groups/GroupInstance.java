package dev.sluice.quarantine.groups;

import java.time.Instant;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;

/** One live instance of a consumer group, as its last heartbeat described it (its sets copied, unmodifiable). */
public record GroupInstance(
    String instanceId, String host, SortedSet<String> streams, SortedMap<String, SortedSet<Integer>> versionsSeen,
    Instant lastSeen) {
  public GroupInstance {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(lastSeen, "lastSeen");
    streams = GroupView.frozen(streams);
    versionsSeen = GroupView.frozen(versionsSeen);
  }
}
