package dev.sluice.quarantine.groups;

import dev.sluice.schemas.contracts.ReadContract;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A read contract as attributes of a group registry item: {@code owner} and {@code contact} (strings, absent when
 * unstated) and {@code reads} (a map of CloudEvent type to a string set of pointers, absent when nothing is declared;
 * a set is never empty, as DynamoDB wants it, since a contract names at least one pointer per type).
 *
 * <p>Reading is lenient: an item without the attributes (an instance older than them) reads as
 * {@link ReadContract#NONE}, and an item whose contract today's rules refuse (a foreign writer, or rules tightened
 * since) keeps what is still valid, within the bounds, rather than failing the whole listing for one item.
 */
final class ContractAttributes {
  static final String OWNER = "owner";
  static final String CONTACT = "contact";
  static final String READS = "reads";

  private ContractAttributes() {}

  /** Adds the contract's attributes to {@code item}; nothing for {@link ReadContract#NONE}. */
  static void put(ReadContract contract, Map<String, AttributeValue> item) {
    if (!contract.owner().isEmpty()) {
      item.put(OWNER, AttributeValue.fromS(contract.owner()));
    }
    if (!contract.contact().isEmpty()) {
      item.put(CONTACT, AttributeValue.fromS(contract.contact()));
    }
    if (contract.declaresReads()) {
      Map<String, AttributeValue> reads = new TreeMap<>();
      contract.reads().forEach((type, pointers) -> reads.put(type, AttributeValue.fromSs(pointers.stream().toList())));
      item.put(READS, AttributeValue.fromM(reads));
    }
  }

  /** The contract an item holds; {@link ReadContract#NONE} for an item without one. */
  static ReadContract read(Map<String, AttributeValue> item) {
    String owner = text(item.get(OWNER));
    String contact = text(item.get(CONTACT));
    TreeMap<String, SortedSet<String>> reads = new TreeMap<>();
    AttributeValue r = item.get(READS);
    if (r != null && r.hasM()) {
      r.m().forEach((type, set) -> {
        if (set.hasSs() && !set.ss().isEmpty()) {
          reads.put(type, new TreeSet<>(set.ss()));
        }
      });
    }
    try {
      return new ReadContract(owner, contact, reads);
    } catch (IllegalArgumentException refused) {
      return kept(owner, contact, reads);
    }
  }

  /** What of a refused contract is still valid, in type and pointer order, within the bounds. */
  private static ReadContract kept(String owner, String contact, TreeMap<String, SortedSet<String>> reads) {
    TreeMap<String, SortedSet<String>> valid = new TreeMap<>();
    int pointers = 0;
    for (var e : reads.entrySet()) {
      String type = e.getKey();
      if (type.isBlank() || type.length() > ReadContract.MAX_TEXT_LENGTH || valid.size() >= ReadContract.MAX_TYPES) {
        continue;
      }
      TreeSet<String> ok = new TreeSet<>();
      for (String p : e.getValue()) {
        if (pointers < ReadContract.MAX_POINTERS && ReadContract.pointerProblem(p).isEmpty()) {
          ok.add(p);
          pointers++;
        }
      }
      if (!ok.isEmpty()) {
        valid.put(type, ok);
      }
    }
    return new ReadContract(clipped(owner), clipped(contact), valid);
  }

  private static String text(AttributeValue v) {
    return v == null || v.s() == null ? "" : v.s();
  }

  private static String clipped(String s) {
    return s.length() <= ReadContract.MAX_TEXT_LENGTH ? s : s.substring(0, ReadContract.MAX_TEXT_LENGTH);
  }
}
