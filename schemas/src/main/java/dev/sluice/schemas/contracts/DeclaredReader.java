package dev.sluice.schemas.contracts;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One live consumer group that declared it reads some pointers of one type: what a proposed change of that type's
 * schema is checked against.
 *
 * @param group the Kafka consumer group
 * @param owner its owner, "" when unstated
 * @param contact how to reach it, "" when unstated
 * @param pointers the pointers into the event it reads ({@link ReadContract}), sorted
 */
public record DeclaredReader(String group, String owner, String contact, SortedSet<String> pointers) {
  public DeclaredReader {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(contact, "contact");
    pointers = Collections.unmodifiableSortedSet(new TreeSet<>(pointers));
  }
}
