package dev.sluice.schemas.marks;

import static dev.sluice.schemas.JsonPointers.escape;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the marks changed from an earlier version to a candidate, as the compatibility check sees it. Breaking at every
 * level but {@code NONE}:
 *
 * <ul>
 *   <li>{@code sensitive-unmarked}: a value the earlier version marked (or that lay inside a marked value) is not
 *       marked by the candidate. Its consumers that were never granted the value would start receiving it in the
 *       clear.
 *   <li>{@code data-subject-changed}: the earlier version marked values and named a subject, and the candidate names
 *       another one (or none). Keys are per subject, so the same person's values would be spread over two keys, and
 *       forgetting the subject would miss some.
 * </ul>
 *
 * <p>Adding a mark, or naming a subject for the first time, is not reported.
 */
public final class MarkChanges {
  public static final String UNMARKED = "sensitive-unmarked";
  public static final String SUBJECT_CHANGED = "data-subject-changed";
  /** Most pairs of places compared; past it the candidate is reported as too complex to compare. */
  static final int MAX_PAIRS = 100_000;

  private MarkChanges() {}

  /** The breaking changes of the marks from {@code earlier} to {@code candidate}; pointers are into the candidate. */
  public static List<MarkProblem> between(SensitiveMarks earlier, SensitiveMarks candidate) {
    Set<MarkProblem> out = new LinkedHashSet<>();
    if (earlier.any() && earlier.subject().isPresent()
        && !earlier.subjectTokens().equals(candidate.subjectTokens())) {
      out.add(new MarkProblem(candidate.subject().isPresent() ? "/" + SensitiveMarks.DATA_SUBJECT : "",
          SUBJECT_CHANGED, "the data subject changed from " + earlier.subject().get() + " to "
              + candidate.subject().orElse("none") + "; the keys that protect marked values are per subject, so a "
              + "type keeps its subject once it marks values"));
    }
    unmarked(earlier.graph().root(), candidate.graph().root(), out);
    return List.copyOf(out);
  }

  /** A place of the data: the earlier node, the candidate's node (null: nothing applies), and the instance pointer. */
  private record Pair(InstanceGraph.Node earlier, InstanceGraph.Node candidate, String pointer) {}

  private static void unmarked(InstanceGraph.Node earlier, InstanceGraph.Node candidate, Set<MarkProblem> out) {
    Deque<Pair> pending = new ArrayDeque<>();
    Set<List<InstanceGraph.Node>> seen = new HashSet<>();
    pending.push(new Pair(earlier, candidate, ""));
    while (!pending.isEmpty()) {
      Pair p = pending.pop();
      if (!p.earlier().relevant || (p.candidate() != null && p.candidate().marked())
          || !seen.add(java.util.Arrays.asList(p.earlier(), p.candidate()))) {
        continue;
      }
      if (seen.size() > MAX_PAIRS) {
        out.add(new MarkProblem("", UNMARKED, "the marks of the two versions are too entangled to compare; keep "
            + "the marked part of the schema as it was"));
        return;
      }
      if (p.earlier().marked()) {
        out.add(new MarkProblem(declaredAt(p.candidate()), UNMARKED, "the value at " + shown(p.pointer())
            + " was marked sensitive and the candidate leaves it unmarked; a value once marked stays marked, or "
            + "consumers never granted it would receive it in the clear", p.pointer()));
        continue;
      }
      for (Pair child : children(p)) {
        pending.push(child);
      }
    }
  }

  /** The earlier node's relevant children, each paired with the candidate's node for the same place. */
  private static List<Pair> children(Pair p) {
    InstanceGraph.Node e = p.earlier();
    InstanceGraph.Node c = p.candidate();
    List<Pair> out = new ArrayList<>();
    for (Map.Entry<String, InstanceGraph.Node> named : e.named.entrySet()) {
      out.add(new Pair(named.getValue(), c == null ? null : c.memberAny(named.getKey()),
          p.pointer() + "/" + escape(named.getKey())));
    }
    if (e.other != null) {
      out.add(new Pair(e.other, c == null || !c.expanded ? null : c.other, p.pointer() + "/*"));
      if (c != null) {
        // Members the candidate declares and the earlier version did not were covered by the earlier catch-all.
        c.named.forEach((name, node) -> {
          if (!e.named.containsKey(name)) {
            out.add(new Pair(e.other, node, p.pointer() + "/" + escape(name)));
          }
        });
      }
    }
    int positions = Math.max(e.tuple.size(), c == null ? 0 : c.tuple.size());
    for (int i = 0; i < positions; i++) {
      out.add(new Pair(e.itemAny(i), c == null ? null : c.itemAny(i), p.pointer() + "/" + i));
    }
    if (e.rest != null) {
      out.add(new Pair(e.rest, c == null ? null : c.itemAny(Integer.MAX_VALUE), p.pointer() + "/*"));
    }
    out.removeIf(pair -> pair.earlier() == null);
    return out;
  }

  /** Where the candidate declares the place: its shortest subschema pointer; the root when nothing declares it. */
  private static String declaredAt(InstanceGraph.Node candidate) {
    if (candidate == null || candidate.schemas.isEmpty()) {
      return "";
    }
    return candidate.schemas.stream()
        .min(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()))
        .get();
  }

  private static String shown(String pointer) {
    return pointer.isEmpty() ? "the root" : "`" + pointer + "`";
  }
}
