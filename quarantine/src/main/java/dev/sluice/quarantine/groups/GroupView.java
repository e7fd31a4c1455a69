package dev.sluice.quarantine.groups;

import dev.sluice.schemas.contracts.ReadContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A consumer group as its live instances describe it: the union of their streams and of the schema versions they
 * validated recently, the instances themselves (sorted by id), and the newest heartbeat. During a rolling deploy the
 * instances may differ; the union is what the group as a whole reads and accepts.
 *
 * <p>{@code staleness}: per stream, the worst staleness in seconds any live instance reported for its partitions of
 * it (how far behind the stream's newest events the group's view is, while events wait; 0 when caught up). A stream
 * no instance reported (no partition owned, or instances older than the field) has no entry.
 *
 * <p>{@code contract}: what the group declares it reads. The reads are the union of its live instances' (a rolling
 * deploy may run two builds), the owner and contact the newest declaring instance's; see {@link ContractUnion}.
 * {@link ReadContract#NONE} when no live instance declares anything.
 *
 * <p>{@code quarantineRates}: per stream, the records the group diverted to the quarantine per second and as a share of
 * those it finished, over its live instances' last heartbeat windows (see {@link QuarantineRate}). A stream no live
 * instance reported outcomes for (instances before their second heartbeat, or older than the field) has no entry.
 */
public record GroupView(
    String group, SortedSet<String> streams, SortedMap<String, SortedSet<Integer>> versionsSeen,
    List<GroupInstance> instances, Instant lastSeen, SortedMap<String, Double> staleness, ReadContract contract,
    SortedMap<String, QuarantineRate> quarantineRates) {
  public GroupView {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(lastSeen, "lastSeen");
    streams = frozen(streams);
    versionsSeen = frozen(versionsSeen);
    instances = List.copyOf(instances);
    staleness = GroupHeartbeat.checkedStaleness(staleness);
    Objects.requireNonNull(contract, "contract");
    quarantineRates = Collections.unmodifiableSortedMap(new TreeMap<>(quarantineRates));
  }

  /** A view without quarantine rates. */
  public GroupView(String group, SortedSet<String> streams, SortedMap<String, SortedSet<Integer>> versionsSeen,
      List<GroupInstance> instances, Instant lastSeen, SortedMap<String, Double> staleness, ReadContract contract) {
    this(group, streams, versionsSeen, instances, lastSeen, staleness, contract, new TreeMap<>());
  }

  /** A view without a read contract. */
  public GroupView(String group, SortedSet<String> streams, SortedMap<String, SortedSet<Integer>> versionsSeen,
      List<GroupInstance> instances, Instant lastSeen, SortedMap<String, Double> staleness) {
    this(group, streams, versionsSeen, instances, lastSeen, staleness, ReadContract.NONE);
  }

  /** A view without staleness or read contract. */
  public GroupView(String group, SortedSet<String> streams, SortedMap<String, SortedSet<Integer>> versionsSeen,
      List<GroupInstance> instances, Instant lastSeen) {
    this(group, streams, versionsSeen, instances, lastSeen, new TreeMap<>(), ReadContract.NONE);
  }

  /** An unmodifiable copy (a null set is refused here): a view, or an instance, holds what it was made with. */
  static <T> SortedSet<T> frozen(SortedSet<T> set) {
    return Collections.unmodifiableSortedSet(new TreeSet<>(set));
  }

  /** An unmodifiable copy of the map and of each of its sets. */
  static SortedMap<String, SortedSet<Integer>> frozen(SortedMap<String, SortedSet<Integer>> versions) {
    TreeMap<String, SortedSet<Integer>> copy = new TreeMap<>();
    versions.forEach((type, set) -> copy.put(type, frozen(set)));
    return Collections.unmodifiableSortedMap(copy);
  }

  /** How many instances heartbeated within the registry's liveness window. */
  public int instancesAlive() {
    return instances.size();
  }

  /** Whether any live instance reads the stream. */
  public boolean consumes(String stream) {
    return streams.contains(stream);
  }

  /** Whether any live instance declares reads of events of {@code type}. */
  public boolean declaresReadsOf(String type) {
    return contract.reads().containsKey(type);
  }

  /** Aggregates the live instances of one group; there must be at least one. */
  public static GroupView aggregate(String group, List<GroupInstance> instances) {
    if (instances.isEmpty()) {
      throw new IllegalArgumentException("a group view needs at least one instance");
    }
    TreeSet<String> streams = new TreeSet<>();
    TreeMap<String, SortedSet<Integer>> versions = new TreeMap<>();
    TreeMap<String, Double> staleness = new TreeMap<>();
    TreeMap<String, List<StreamOutcomes>> outcomes = new TreeMap<>();
    Instant lastSeen = Instant.MIN;
    for (GroupInstance i : instances) {
      streams.addAll(i.streams());
      i.outcomes().forEach((stream, o) -> outcomes.computeIfAbsent(stream, s -> new ArrayList<>()).add(o));
      // Each partition has one owner, so the group's worst is the worst of its instances'.
      i.staleness().forEach((stream, seconds) -> staleness.merge(stream, seconds, Math::max));
      i.versionsSeen().forEach((type, set) -> versions.computeIfAbsent(type, t -> new TreeSet<>()).addAll(set));
      if (i.lastSeen().isAfter(lastSeen)) {
        lastSeen = i.lastSeen();
      }
    }
    List<GroupInstance> sorted = instances.stream().sorted(Comparator.comparing(GroupInstance::instanceId)).toList();
    TreeMap<String, QuarantineRate> rates = new TreeMap<>();
    outcomes.forEach((stream, each) -> rates.put(stream, QuarantineRate.of(each)));
    return new GroupView(group, streams, versions, sorted, lastSeen, staleness, ContractUnion.of(instances), rates);
  }
}
