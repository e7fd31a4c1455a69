package dev.sluice.schemas.compat;

import dev.sluice.schemas.marks.MarkChanges;
import dev.sluice.schemas.marks.SensitiveMarks;
import dev.sluice.schemas.registry.Compatibility;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a candidate schema may follow earlier versions under a {@link Compatibility} level. Pure and
 * stateless: schemas in, breaking changes out. Besides the narrowings of the level, every level but {@code NONE}
 * refuses unmarking a sensitive value or changing the data subject ({@link MarkChanges}).
 */
public final class CompatibilityChecker {
  private CompatibilityChecker() {}

  /**
   * The breaking changes that forbid {@code candidate} after {@code previousOldestFirst} under {@code level}; empty
   * when it may be registered. With no previous version everything is allowed.
   */
  public static List<BreakingChange> check(Compatibility level, List<String> previousOldestFirst, String candidate) {
    if (level == Compatibility.NONE || previousOldestFirst.isEmpty()) {
      return List.of();
    }
    List<String> against = level.transitive()
        ? previousOldestFirst
        : List.of(previousOldestFirst.get(previousOldestFirst.size() - 1));
    List<BreakingChange> out = new ArrayList<>();
    SensitiveMarks candidateMarks = SensitiveMarks.of(candidate);
    for (String previous : against) {
      if (level.backward()) {
        addAbsent(out, narrowings(previous, candidate));
      }
      if (level.forward()) {
        addAbsent(out, narrowings(candidate, previous));
      }
      // Marks are not about which values validate, so they are checked once per version whatever the direction.
      addAbsent(out, MarkChanges.between(SensitiveMarks.of(previous), candidateMarks).stream()
          .map(p -> new BreakingChange(p.pointer(), p.rule(), p.message(), p.path()))
          .toList());
    }
    return List.copyOf(out);
  }

  private static void addAbsent(List<BreakingChange> out, List<BreakingChange> more) {
    for (BreakingChange c : more) {
      BreakingChange.addMerged(out, c);
    }
  }

  /**
   * The ways in which {@code readerSchema} rejects documents that {@code writerSchema} accepted, in walk order
   * (docs/schema-compatibility.md lists the rules). Both are draft-07 schema documents (JSON text) that already passed
   * {@code SchemaCompiler}; pointers are into {@code readerSchema}, paths into the data. Widening is never reported; a difference in a
   * keyword the checker does not reason about is reported as {@code unsupported-change}.
   */
  public static List<BreakingChange> narrowings(String writerSchema, String readerSchema) {
    return Narrowing.between(writerSchema, readerSchema);
  }
}
