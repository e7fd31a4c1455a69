package dev.sluice.schemas.contracts;

import dev.sluice.schemas.JsonPointers;
import dev.sluice.schemas.SchemaDocument;
import dev.sluice.schemas.SchemaDocument.Node;
import dev.sluice.schemas.contracts.ApplicableSchemas.Applied;
import dev.sluice.schemas.contracts.ApplicableSchemas.InPlace;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Follows a data path through one schema document by what it declares: a member through {@code properties} (and
 * {@code *} through a schema-valued {@code additionalProperties}), an item (an index or {@code *}) through
 * {@code items}, both along local {@code $ref}s and {@code allOf}/{@code anyOf}/{@code oneOf}. Used to tell whether a
 * field a consumer group reads is still declared, and still required, by a candidate schema.
 *
 * <p>The schemas that apply to one value are gathered as {@link PointerReach} gathers them ({@link ApplicableSchemas}),
 * but only through the combinators, which is as far as protect mode promises ({@link ContractImpact}): a field declared
 * only in a {@code then} or {@code else} branch or a schema dependency is not protected. And bounded: each step gathers at most {@value #MAX_SCHEMAS} schemas that apply to the same value, each once, so
 * recursive and self-combining schemas end; past the cap, what is left unread is simply not declared.
 */
final class DeclaredFields {
  /** Most schemas gathered for one value in one step. */
  static final int MAX_SCHEMAS = 1_000;

  private final ApplicableSchemas walk;

  DeclaredFields(SchemaDocument doc) {
    this.walk = new ApplicableSchemas(doc, InPlace.COMBINATORS, MAX_SCHEMAS);
  }

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
    return List.of(walk.root());
  }

  /** One token of a data path below the values {@code of} applies to. */
  Step step(List<Applied> of, String token) {
    List<Applied> declared = new ArrayList<>();
    Optional<String> requiredAt = Optional.empty();
    boolean anyItem = false;
    for (Applied a : walk.gather(of).objects()) {
      JSONObject o = (JSONObject) a.node().schema();
      String at = a.node().pointer();
      boolean always = a.always();
      if (o.opt("properties") instanceof JSONObject props && props.has(token) && !token.equals("*")) {
        declared.add(new Applied(new Node(props.get(token), at + "/properties/" + JsonPointers.escape(token)),
            always));
      }
      if (token.equals("*") && o.opt("additionalProperties") instanceof JSONObject rest) {
        declared.add(new Applied(new Node(rest, at + "/additionalProperties"), always));
      }
      boolean item = ApplicableSchemas.mayNameItem(token);
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
}
