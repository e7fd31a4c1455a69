package dev.sluice.schemas.compat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One way in which a reader schema rejects data that a writer schema accepted.
 *
 * <p>The pointer says where the change is written (in one schema document); the paths say which part of the data it
 * is about, whatever the document: that is what a consumer group's declared reads ({@code /data/...}) are matched
 * with, since a change found under {@code FORWARD} points into the earlier version, not the candidate.
 *
 * @param pointer JSON pointer into the schema document where the change is, e.g. {@code /properties/price}
 * @param rule a stable rule name, e.g. {@code required-added}, {@code type-narrowed}, {@code enum-value-removed},
 *     {@code additional-properties-closed}; documented in docs/schema-compatibility.md
 * @param message a sentence for humans, e.g. "property `price` became required"
 * @param paths the data paths the change is about, in the order the walk met them: JSON pointers into the type's data
 *     (without {@code /data}) where {@code *} stands for any array item or any member not declared by name, e.g.
 *     {@code /price} or {@code /items/*}{@code /sku}; for {@code required-added} the property that became required.
 *     A change inside a definition used in several places has one path per place. Empty when not known.
 */
public record BreakingChange(String pointer, String rule, String message, List<String> paths) {
  public BreakingChange {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
    paths = List.copyOf(paths);
  }

  /** A change whose data path is not known (a mark change of a document that only the marks know, a test value). */
  public BreakingChange(String pointer, String rule, String message) {
    this(pointer, rule, message, List.of());
  }

  /** A change about one data path. */
  public BreakingChange(String pointer, String rule, String message, String path) {
    this(pointer, rule, message, List.of(path));
  }

  /** The first data path, or {@code ""} (the whole data) when none is known. */
  public String path() {
    return paths.isEmpty() ? "" : paths.get(0);
  }

  /** Whether {@code other} is the same change (pointer, rule, message), wherever in the data it was met. */
  public boolean sameChange(BreakingChange other) {
    return pointer.equals(other.pointer) && rule.equals(other.rule) && message.equals(other.message);
  }

  /** This change with {@code more} paths added after its own (each path once). */
  public BreakingChange withPaths(List<String> more) {
    Set<String> all = new LinkedHashSet<>(paths);
    all.addAll(more);
    return all.size() == paths.size() ? this : new BreakingChange(pointer, rule, message, new ArrayList<>(all));
  }

  /**
   * Adds {@code change} to {@code out} unless the same change is there, whose paths then grow by the new ones: a change
   * is listed once, at the place it was first found, however many versions, directions or data paths it was met in.
   */
  public static void addMerged(List<BreakingChange> out, BreakingChange change) {
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).sameChange(change)) {
        out.set(i, out.get(i).withPaths(change.paths));
        return;
      }
    }
    out.add(change);
  }
}
