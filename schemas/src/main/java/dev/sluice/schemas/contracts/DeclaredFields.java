package dev.sluice.schemas.contracts;

import dev.sluice.schemas.JsonPointers;
import dev.sluice.schemas.SchemaDocument;
import dev.sluice.schemas.SchemaDocument.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Follows a data path through one schema document by what it declares: a member through {@code properties} (and
 * {@code *} through a schema-valued {@code additionalProperties}), an item (an index or {@code *}) through
 * {@code items}, both along local {@code $ref}s and {@code allOf}/{@code anyOf}/{@code oneOf}. Used to tell whether a
 * field a consumer group reads is still declared, and still required, by a candidate schema.
 *
 * <p>Bounded: each step gathers at most {@value #MAX_SCHEMAS} schemas that apply to the same value, each once, so
 * recursive and self-combining schemas end.
 */
final class DeclaredFields {
  /** Most schemas gathered for one value in one step. */
  static final int MAX_SCHEMAS = 1_000;
  private static final List<String> COMBINERS = List.of("allOf", "anyOf", "oneOf");
  private static final String INDEX = "0|[1-9][0-9]{0,8}";

  private final SchemaDocument doc;

  DeclaredFields(SchemaDocument doc) {
    this.doc = doc;
  }

  /** A schema that applies to a value, and whether it always does (not only as one branch of anyOf/oneOf). */
  record Applied(Node node, boolean always) {}

  /**
   * What the schemas of a value declare about one member or item of it.
   *
   * @param declared the schemas declared for it; empty when nothing declares it by name, index or catch-all
   * @param declaredAt the canonical pointer of the first declaration, "" when none
   * @param requiredAt the pointer of a {@code required} that always applies and names it, empty when none does
   * @param anyItem whether an {@code items} schema for every item declares it (its data path then names {@code *},
   *     not one index)
   */
  record Step(List<Applied> declared, String declaredAt, Optional<String> requiredAt, boolean anyItem) {}

  /** The root of the document, which always applies to the data. */
  List<Applied> root() {
    return List.of(new Applied(doc.root(), true));
  }

  /** One token of a data path below the values {@code of} applies to. */
  Step step(List<Applied> of, String token) {
    List<Applied> declared = new ArrayList<>();
    Optional<String> requiredAt = Optional.empty();
    boolean anyItem = false;
    for (Applied a : sameValue(of)) {
      if (!(a.node().schema() instanceof JSONObject o)) {
        continue;
      }
      String at = a.node().pointer();
      boolean always = a.always();
      if (o.opt("properties") instanceof JSONObject props && props.has(token) && !token.equals("*")) {
        declared.add(new Applied(new Node(props.get(token), at + "/properties/" + JsonPointers.escape(token)),
            always));
      }
      if (token.equals("*") && o.opt("additionalProperties") instanceof JSONObject rest) {
        declared.add(new Applied(new Node(rest, at + "/additionalProperties"), always));
      }
      boolean item = token.equals("*") || token.matches(INDEX);
      if (item && (o.opt("items") instanceof JSONObject || o.opt("items") instanceof Boolean)) {
        declared.add(new Applied(new Node(o.get("items"), at + "/items"), always));
        anyItem = true;
      } else if (item && o.opt("items") instanceof JSONArray tuple) {
        for (int i = 0; i < tuple.length(); i++) {
          if (token.equals("*") || Integer.parseInt(token) == i) {
            declared.add(new Applied(new Node(tuple.get(i), at + "/items/" + i), always));
          }
        }
      }
      if (requiredAt.isEmpty() && always && requires(o, token)) {
        requiredAt = Optional.of(at + "/required");
      }
    }
    return new Step(List.copyOf(declared), declared.isEmpty() ? "" : declared.get(0).node().pointer(), requiredAt,
        anyItem);
  }

  private static boolean requires(JSONObject o, String token) {
    if (!(o.opt("required") instanceof JSONArray required)) {
      return false;
    }
    for (int i = 0; i < required.length(); i++) {
      if (token.equals(required.opt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every schema that applies to the same value as {@code start}: through {@code $ref} and the combiners, each
   * canonical pointer once, at most {@value #MAX_SCHEMAS}. A schema reached both always and as a branch counts as
   * always when the first way it was reached was.
   */
  List<Applied> sameValue(List<Applied> start) {
    List<Applied> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Deque<Applied> pending = new ArrayDeque<>(start);
    while (!pending.isEmpty() && out.size() < MAX_SCHEMAS) {
      Applied a = pending.removeFirst();
      Optional<Node> resolved = doc.dereference(a.node());
      if (resolved.isEmpty() || !seen.add(resolved.get().pointer())) {
        continue;
      }
      Applied here = new Applied(resolved.get(), a.always());
      out.add(here);
      if (!(here.node().schema() instanceof JSONObject o)) {
        continue;
      }
      for (String combiner : COMBINERS) {
        if (o.opt(combiner) instanceof JSONArray branches) {
          for (int i = 0; i < branches.length(); i++) {
            pending.addLast(new Applied(new Node(branches.get(i), here.node().pointer() + "/" + combiner + "/" + i),
                here.always() && combiner.equals("allOf")));
          }
        }
      }
    }
    return out;
  }
}
