package dev.sluice.quarantine.find;

import java.util.List;

/**
 * The fingerprint groups of a filter's items, largest first. {@code complete} is false when the store stopped at its
 * read budget ({@code examined} items): the counts are then lower bounds.
 */
public record Groups(List<FingerprintGroup> groups, long examined, boolean complete) {
  public Groups {
    groups = List.copyOf(groups);
  }
}
