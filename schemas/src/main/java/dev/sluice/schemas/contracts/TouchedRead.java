package dev.sluice.schemas.contracts;

import dev.sluice.schemas.compat.BreakingChange;
import java.util.List;
import java.util.Objects;

/**
 * One pointer a consumer group declared it reads, and the changes of a proposed schema that touch it.
 *
 * @param pointer the declared pointer into the event, e.g. {@code /data/price}
 * @param changes the changes that touch it, sorted (schema pointer, rule, message)
 */
public record TouchedRead(String pointer, List<BreakingChange> changes) {
  public TouchedRead {
    Objects.requireNonNull(pointer, "pointer");
    changes = List.copyOf(changes);
  }
}
