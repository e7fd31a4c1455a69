package dev.sluice.quarantine.groups;

import dev.sluice.schemas.contracts.ReadContract;
import java.time.Instant;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * One live instance of a consumer group, as its last heartbeat described it (its sets copied, unmodifiable).
 *
 * @param staleness per stream the instance owned partitions of, their worst staleness in seconds (see
 *     {@link GroupHeartbeat#staleness}); empty for an instance that owns none, or that predates the field
 * @param contract what the instance's build of the group declares it reads; {@link ReadContract#NONE} for one that
 *     declares nothing, or that predates the field
 * @param outcomes per stream, what the instance handled and quarantined in its last heartbeat window (see
 *     {@link GroupHeartbeat#outcomes}); empty before its second heartbeat, or for one that predates the field
 */
public record GroupInstance(
    String instanceId, String host, SortedSet<String> streams, SortedMap<String, SortedSet<Integer>> versionsSeen,
    Instant lastSeen, SortedMap<String, Double> staleness, ReadContract contract,
    SortedMap<String, StreamOutcomes> outcomes) {
  public GroupInstance {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(lastSeen, "lastSeen");
    Objects.requireNonNull(contract, "contract");
    streams = GroupView.frozen(streams);
    versionsSeen = GroupView.frozen(versionsSeen);
    staleness = GroupHeartbeat.checkedStaleness(staleness);
    outcomes = GroupHeartbeat.checkedOutcomes(outcomes);
  }

  /** An instance that reported no outcomes. */
  public GroupInstance(String instanceId, String host, SortedSet<String> streams,
      SortedMap<String, SortedSet<Integer>> versionsSeen, Instant lastSeen, SortedMap<String, Double> staleness,
      ReadContract contract) {
    this(instanceId, host, streams, versionsSeen, lastSeen, staleness, contract, new TreeMap<>());
  }

  /** An instance that declared no read contract. */
  public GroupInstance(String instanceId, String host, SortedSet<String> streams,
      SortedMap<String, SortedSet<Integer>> versionsSeen, Instant lastSeen, SortedMap<String, Double> staleness) {
    this(instanceId, host, streams, versionsSeen, lastSeen, staleness, ReadContract.NONE);
  }

  /** An instance that reported no staleness and declared no read contract. */
  public GroupInstance(String instanceId, String host, SortedSet<String> streams,
      SortedMap<String, SortedSet<Integer>> versionsSeen, Instant lastSeen) {
    this(instanceId, host, streams, versionsSeen, lastSeen, new TreeMap<>(), ReadContract.NONE);
  }
}
