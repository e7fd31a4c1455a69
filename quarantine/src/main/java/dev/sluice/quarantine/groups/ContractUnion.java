package dev.sluice.quarantine.groups;

import dev.sluice.schemas.contracts.ReadContract;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A group's read contract from its live instances' own. During a rolling deploy the instances may run two builds that
 * declare different reads; until the last old instance is gone the group as a whole still reads what either declares,
 * so the reads are the union. The owner and contact are the newest declaring instance's: a team that renames its
 * channel means the new one, and an instance that declares nothing (an older build) says nothing about who owns it.
 *
 * <p>Each instance's contract is within {@link ReadContract}'s bounds, but a union of several may not be: then the
 * newest instances' reads are taken whole first and the older ones' added as far as the bounds allow, so that a
 * listing never fails and the newest declaration is never cut.
 */
final class ContractUnion {
  /** Newest first; among heartbeats of the same millisecond, by instance id, so the answer does not depend on order. */
  private static final Comparator<GroupInstance> NEWEST_FIRST = Comparator.comparing(GroupInstance::lastSeen)
      .reversed().thenComparing(GroupInstance::instanceId);

  private ContractUnion() {}

  static ReadContract of(List<GroupInstance> instances) {
    List<GroupInstance> newestFirst = instances.stream().sorted(NEWEST_FIRST).toList();
    ReadContract about = newestFirst.stream().map(GroupInstance::contract)
        .filter(c -> !c.equals(ReadContract.NONE)).findFirst().orElse(ReadContract.NONE);
    TreeMap<String, SortedSet<String>> reads = new TreeMap<>();
    int pointers = 0;
    for (GroupInstance i : newestFirst) {
      for (var e : i.contract().reads().entrySet()) {
        if (!reads.containsKey(e.getKey()) && reads.size() >= ReadContract.MAX_TYPES) {
          continue;
        }
        SortedSet<String> set = reads.computeIfAbsent(e.getKey(), t -> new TreeSet<>());
        for (String p : e.getValue()) {
          if (!set.contains(p) && pointers < ReadContract.MAX_POINTERS) {
            set.add(p);
            pointers++;
          }
        }
        if (set.isEmpty()) {
          reads.remove(e.getKey());
        }
      }
    }
    return new ReadContract(about.owner(), about.contact(), reads);
  }
}
