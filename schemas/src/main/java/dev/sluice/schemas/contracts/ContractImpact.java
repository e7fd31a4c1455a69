package dev.sluice.schemas.contracts;

import dev.sluice.schemas.JsonPointers;
import dev.sluice.schemas.SchemaDocument;
import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.compat.CompatibilityChecker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who a proposed schema change affects, among the live consumer groups that declared what they read of the type
 * ({@link DeclaredReader}). Pure: schemas, changes and declarations in, values out.
 *
 * <p>A change is about data paths ({@link BreakingChange#paths}); it <em>touches</em> a declared pointer {@code D}
 * (read without its {@code /data} prefix; {@code *} matches any token, on either side) at path {@code I} when
 * {@code I} is {@code D} or lies inside it, or when {@code D} lies inside {@code I} and the rule changes the whole
 * value at {@code I} ({@link #WHOLE_VALUE}): a narrowed type breaks every read below it, a raised minimum does not.
 *
 * <p>Besides the changes the compatibility level found, the changes that protect mode refuses are computed for declared
 * fields only, whatever the level: a field the latest version declares (through {@code properties} and {@code items},
 * along local {@code $ref}s and {@code allOf}/{@code anyOf}/{@code oneOf}) that the candidate no longer declares
 * ({@value #DECLARED_FIELD_REMOVED}); one it required, on the way to a read, that the candidate does not
 * ({@value #DECLARED_FIELD_OPTIONAL}); and every narrowing from the latest version to the candidate
 * ({@link CompatibilityChecker#narrowings}) that touches a read.
 *
 * @param affects every group whose reads a change touches (the level's changes and the protected ones), sorted by
 *     group
 * @param protectedFieldsBroken the groups whose reads the protected changes touch, sorted by group: what protect mode
 *     refuses, even where the level allows the change
 */
public record ContractImpact(List<AffectedReader> affects, List<AffectedReader> protectedFieldsBroken) {
  /** The rule of a declared field that the candidate no longer declares. */
  public static final String DECLARED_FIELD_REMOVED = "declared-field-removed";
  /** The rule of a declared field (or one on the way to it) that was required and no longer is. */
  public static final String DECLARED_FIELD_OPTIONAL = "declared-field-optional";
  /** Rules that change the whole value at their path, so that they touch every read inside it too. */
  public static final Set<String> WHOLE_VALUE = Set.of("type-narrowed", "accepts-nothing", "enum-added",
      "enum-value-removed", "const-added", "const-changed", "unsupported-change", DECLARED_FIELD_REMOVED,
      DECLARED_FIELD_OPTIONAL);
  /** No group affected. */
  public static final ContractImpact NONE = new ContractImpact(List.of(), List.of());

  private static final Comparator<BreakingChange> CHANGE_ORDER = Comparator.comparing(BreakingChange::pointer)
      .thenComparing(BreakingChange::rule).thenComparing(BreakingChange::message)
      .thenComparing(c -> String.join("\u0000", c.paths()));
  private static final Comparator<DeclaredReader> READER_ORDER = Comparator.comparing(DeclaredReader::group)
      .thenComparing(DeclaredReader::owner).thenComparing(DeclaredReader::contact);

  public ContractImpact {
    affects = List.copyOf(affects);
    protectedFieldsBroken = List.copyOf(protectedFieldsBroken);
  }

  /**
   * The impact of registering {@code candidate} after {@code latest}.
   *
   * @param latest the type's latest registered schema text; empty for a type's first version (nothing to protect)
   * @param candidate the proposed schema text; both passed the registry's compiler
   * @param levelChanges the breaking changes the type's compatibility level found (empty when it allows the change)
   * @param readers the live groups that declared reads of the type
   */
  public static ContractImpact of(Optional<String> latest, String candidate, List<BreakingChange> levelChanges,
      List<DeclaredReader> readers) {
    if (readers.isEmpty()) {
      return NONE;
    }
    Set<String> pointers = new TreeSet<>();
    readers.forEach(r -> pointers.addAll(r.pointers()));
    List<BreakingChange> protectedChanges = latest
        .map(previous -> protectedChanges(previous, candidate, pointers))
        .orElse(List.of());
    List<BreakingChange> all = new ArrayList<>();
    levelChanges.forEach(c -> BreakingChange.addMerged(all, c));
    protectedChanges.forEach(c -> BreakingChange.addMerged(all, c));
    List<DeclaredReader> sorted = readers.stream().sorted(READER_ORDER).toList();
    return new ContractImpact(affected(sorted, all), affected(sorted, protectedChanges));
  }

  /** Whether no group is affected. */
  public boolean isEmpty() {
    return affects.isEmpty() && protectedFieldsBroken.isEmpty();
  }

  /**
   * The changes protect mode refuses that may touch {@code pointers}: the narrowings from {@code previous} to
   * {@code candidate}, then the declared fields removed or made optional, in pointer order.
   */
  static List<BreakingChange> protectedChanges(String previous, String candidate, Set<String> pointers) {
    List<BreakingChange> out = new ArrayList<>();
    CompatibilityChecker.narrowings(previous, candidate).forEach(c -> BreakingChange.addMerged(out, c));
    DeclaredFields before = new DeclaredFields(new SchemaDocument(previous));
    DeclaredFields after = new DeclaredFields(new SchemaDocument(candidate));
    for (String pointer : pointers) {
      dataTokens(pointer).ifPresent(tokens -> declaredChanges(before, after, tokens)
          .forEach(c -> BreakingChange.addMerged(out, c)));
    }
    return out;
  }

  /** Walks one read through both versions: where the candidate stops requiring, or stops declaring, what it reads. */
  private static List<BreakingChange> declaredChanges(DeclaredFields before, DeclaredFields after,
      List<String> tokens) {
    List<BreakingChange> out = new ArrayList<>();
    List<ApplicableSchemas.Applied> was = before.root();
    List<ApplicableSchemas.Applied> is = after.root();
    StringBuilder path = new StringBuilder();
    for (String token : tokens) {
      DeclaredFields.Step previous = before.step(was, token);
      DeclaredFields.Step candidate = after.step(is, token);
      // A read of item 3 of an array whose every item has one schema is a read of any item: named as such, the
      // change is the same for every group that reads some item of it.
      path.append('/').append(previous.anyItem() ? "*" : JsonPointers.escape(token));
      if (previous.requiredAt().isPresent() && candidate.requiredAt().isEmpty()) {
        out.add(new BreakingChange(previous.requiredAt().get(), DECLARED_FIELD_OPTIONAL, "/data" + path
            + " is required by the latest version (`" + previous.requiredAt().get() + "`) and optional in the"
            + " candidate", path.toString()));
      }
      if (previous.declared().isEmpty()) {
        break;
      }
      if (candidate.declared().isEmpty()) {
        out.add(new BreakingChange(previous.declaredAt(), DECLARED_FIELD_REMOVED, "/data" + path
            + " is declared by the latest version (`" + previous.declaredAt() + "`) and no longer by the candidate",
            path.toString()));
        break;
      }
      was = previous.declared();
      is = candidate.declared();
    }
    return out;
  }

  /** The readers {@code changes} touch, each with its touched pointers. */
  private static List<AffectedReader> affected(List<DeclaredReader> readers, List<BreakingChange> changes) {
    if (changes.isEmpty()) {
      return List.of();
    }
    // Groups often read the same pointers: each distinct pointer is matched once.
    Map<String, List<BreakingChange>> touching = new HashMap<>();
    List<AffectedReader> out = new ArrayList<>();
    for (DeclaredReader r : readers) {
      List<TouchedRead> reads = new ArrayList<>();
      for (String pointer : r.pointers()) {
        List<BreakingChange> by = touching.computeIfAbsent(pointer, p -> touchingChanges(p, changes));
        if (!by.isEmpty()) {
          reads.add(new TouchedRead(pointer, by));
        }
      }
      if (!reads.isEmpty()) {
        out.add(new AffectedReader(r.group(), r.owner(), r.contact(), reads));
      }
    }
    return out;
  }

  private static List<BreakingChange> touchingChanges(String pointer, List<BreakingChange> changes) {
    Optional<List<String>> read = dataTokens(pointer);
    if (read.isEmpty()) {
      return List.of();
    }
    return changes.stream().filter(c -> touches(read.get(), c)).sorted(CHANGE_ORDER).toList();
  }

  /** Whether {@code change} touches a read of the data tokens {@code read} (see the class comment). */
  static boolean touches(List<String> read, BreakingChange change) {
    List<String> paths = change.paths().isEmpty() ? List.of("") : change.paths();
    for (String path : paths) {
      Optional<List<String>> at = JsonPointers.tokens(path);
      if (at.isEmpty()) {
        continue;
      }
      if (prefixOf(read, at.get()) || (WHOLE_VALUE.contains(change.rule()) && prefixOf(at.get(), read))) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code shorter} is a prefix of {@code longer} (or equal), {@code *} matching any token. */
  private static boolean prefixOf(List<String> shorter, List<String> longer) {
    if (shorter.size() > longer.size()) {
      return false;
    }
    for (int i = 0; i < shorter.size(); i++) {
      String a = shorter.get(i);
      String b = longer.get(i);
      if (!a.equals(b) && !a.equals("*") && !b.equals("*")) {
        return false;
      }
    }
    return true;
  }

  /** The tokens of a declared pointer below {@code /data}; empty for one that is not a pointer into the data. */
  static Optional<List<String>> dataTokens(String pointer) {
    return JsonPointers.tokens(pointer)
        .filter(t -> !t.isEmpty() && t.get(0).equals("data"))
        .map(t -> t.subList(1, t.size()));
  }
}
