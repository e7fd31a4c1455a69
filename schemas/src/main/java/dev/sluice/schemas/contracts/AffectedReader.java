package dev.sluice.schemas.contracts;

import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A live consumer group whose declared reads a proposed schema change touches: who to talk to, and what of theirs it
 * touches.
 *
 * @param group the Kafka consumer group
 * @param owner its owner, "" when unstated
 * @param contact how to reach it, "" when unstated
 * @param reads the declared pointers touched, sorted by pointer, each with the changes that touch it
 */
public record AffectedReader(String group, String owner, String contact, List<TouchedRead> reads) {
  public AffectedReader {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(contact, "contact");
    reads = List.copyOf(reads);
  }

  /** The rules of the changes that touch this group's reads, sorted, each once. */
  public SortedSet<String> rules() {
    SortedSet<String> out = new TreeSet<>();
    reads.forEach(r -> r.changes().forEach(c -> out.add(c.rule())));
    return out;
  }
}
