package dev.sluice.schemas.contracts;

import static dev.sluice.schemas.JsonPointers.escape;

import dev.sluice.schemas.JsonPointers;
import dev.sluice.schemas.SchemaDocument;
import dev.sluice.schemas.SchemaDocument.Node;
import dev.sluice.schemas.contracts.ApplicableSchemas.Applied;
import dev.sluice.schemas.contracts.ApplicableSchemas.Gathered;
import dev.sluice.schemas.contracts.ApplicableSchemas.InPlace;
import dev.sluice.schemas.registry.SchemaCompiler;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Whether a declared pointer ({@link ReadContract}) names a place that one schema describes: some path of
 * {@code properties}, {@code patternProperties}, {@code additionalProperties}, {@code items}, {@code additionalItems}
 * or {@code contains} leads there from the schema's root, which stands for {@code /data}. A consumer group that
 * declares a pointer no version of its type's schema reaches has most likely made a typo, and would otherwise declare
 * nothing at all.
 *
 * <p>Each step works on the set of subschemas that may apply to one value, gathered as {@link DeclaredFields} gathers
 * them ({@link ApplicableSchemas}): closed over {@code $ref} (which, as in draft-07, applies nothing beside it),
 * {@code allOf}, {@code anyOf}, {@code oneOf}, and here also {@code then}, {@code else} and schema
 * {@code dependencies}, since whatever may apply may describe a member. Not over {@code not} or {@code if}: they
 * constrain a value, they do not describe where its members are. Nor with a cap on how many: each schema is gathered
 * once, so the document's size bounds the work, and a cap reached would leave only a guess. The rules, lenient where
 * the schema leaves room and strict where it is closed:
 *
 * <ul>
 *   <li>A member is reachable when some subschema declares it under {@code properties}, has a
 *       {@code patternProperties} pattern that may match it, or gives {@code additionalProperties} other than
 *       {@code false} while neither declaring it nor matching it by a pattern of its own.</li>
 *   <li>A value whose subschemas say nothing about members (no {@code properties}, {@code patternProperties} or
 *       {@code additionalProperties}: e.g. {@code {"type": "object"}}, {@code {}} or {@code true}) leaves every member
 *       open, so everything below it is reachable, unless every subschema that names a {@code type} excludes
 *       {@code object}. The same holds for items and {@code items}/{@code additionalItems}/{@code contains}, and
 *       {@code array}.</li>
 *   <li>So a member that an object with declared {@code properties} does not declare is unreachable, whether or not
 *       it says {@code additionalProperties: false}: a name the schema does not describe is what a typo looks like.
 *       Where the subschemas are alternatives ({@code anyOf}), one that describes members makes this strict for
 *       all of them.</li>
 *   <li>{@code *} stands for any member and any item; a token of digits is an item index and a member name.</li>
 *   <li>A place only {@code false} applies to holds no value: a pointer there is unreachable.</li>
 * </ul>
 *
 * <p>A {@code $ref} that does not resolve in the document, a pattern that is too big to match safely here or does
 * not compile, and a text that is not a schema document are all given the benefit of the doubt: they reach
 * anything. Refusing a consumer's start-up on a doubt would be worse than missing a typo.
 *
 * <p>Immutable once built; {@link #reaches} may be called from any thread.
 */
public final class PointerReach {
  /** Null when the text is not a schema document: then every pointer is reachable. */
  private final ApplicableSchemas walk;

  public PointerReach(String schemaJson) {
    ApplicableSchemas parsed;
    try {
      // No cap beyond each pointer once (which the document's size bounds): a cap reached would leave this to guess,
      // and a registered schema may apply up to 10,000 schemas to one value.
      parsed = new ApplicableSchemas(new SchemaDocument(schemaJson), EnumSet.allOf(InPlace.class),
          Integer.MAX_VALUE);
    } catch (RuntimeException e) {
      parsed = null;
    }
    this.walk = parsed;
  }

  /**
   * Whether the schema reaches {@code pointer}, a pointer into the CloudEvent at {@code /data} or below it (as a
   * {@link ReadContract} holds it). A pointer not under {@code /data} is never reached: the schema describes only the
   * data.
   */
  public boolean reaches(String pointer) {
    Optional<List<String>> tokens = JsonPointers.tokens(pointer);
    if (tokens.isEmpty() || tokens.get().isEmpty() || !tokens.get().get(0).equals("data")) {
      return false;
    }
    if (walk == null) {
      return true;
    }
    List<Applied> seeds = List.of(walk.root());
    for (String token : tokens.get().subList(1, tokens.get().size())) {
      Place place = place(seeds);
      if (place.open()) {
        return true;
      }
      if (place.schemas().isEmpty()) {
        // Only false applies here: no value, so nothing below it either.
        return false;
      }
      Step next = step(place, token);
      if (next.open()) {
        return true;
      }
      if (next.seeds().isEmpty()) {
        return false;
      }
      seeds = next.seeds();
    }
    Place last = place(seeds);
    return last.open() || !last.schemas().isEmpty();
  }

  /**
   * The object subschemas that apply to one value; {@code open} when nothing can be said of what lies below it (a
   * {@code true} and nothing else, or a reference that does not resolve).
   */
  private record Place(List<Applied> schemas, boolean open) {}

  /** Where one token leads: the subschemas that may apply there, or anywhere ({@code open}). */
  private record Step(List<Applied> seeds, boolean open) {}

  private Place place(List<Applied> seeds) {
    Gathered gathered = walk.gather(seeds);
    List<Applied> schemas = gathered.objects();
    boolean sawTrue = gathered.schemas().stream().anyMatch(a -> Boolean.TRUE.equals(a.node().schema()));
    return new Place(schemas, gathered.dangling() || (schemas.isEmpty() && sawTrue));
  }

  private static Step step(Place place, String token) {
    List<Applied> seeds = new ArrayList<>();
    boolean anyMember = token.equals("*");
    boolean index = ApplicableSchemas.mayNameItem(token);
    // Every token but * may be a member name, digits too.
    if (may(place, "object")) {
      if (!describes(place, "properties", "patternProperties", "additionalProperties")) {
        return new Step(List.of(), true);
      }
      for (Applied s : place.schemas()) {
        members(schema(s), s.node().pointer(), anyMember ? null : token, seeds);
      }
    }
    if (index && may(place, "array")) {
      if (!describes(place, "items", "additionalItems", "contains")) {
        return new Step(List.of(), true);
      }
      for (Applied s : place.schemas()) {
        items(schema(s), s.node().pointer(), anyMember ? -1 : Integer.parseInt(token), seeds);
      }
    }
    return new Step(List.copyOf(seeds), false);
  }

  /** The subschemas that apply to member {@code name} (any member for null) of a value {@code o} applies to. */
  private static void members(JSONObject o, String at, String name, List<Applied> out) {
    JSONObject props = o.opt("properties") instanceof JSONObject p ? p : new JSONObject();
    boolean declared = false;
    for (String declaredName : new TreeSet<>(props.keySet())) {
      if (name == null || name.equals(declaredName)) {
        out.add(seed(props.get(declaredName), at + "/properties/" + escape(declaredName)));
        declared = true;
      }
    }
    boolean matched = false;
    if (o.opt("patternProperties") instanceof JSONObject patterns) {
      for (String pattern : new TreeSet<>(patterns.keySet())) {
        if (name == null || mayMatch(pattern, name)) {
          out.add(seed(patterns.get(pattern), at + "/patternProperties/" + escape(pattern)));
          matched = true;
        }
      }
    }
    if (o.has("additionalProperties") && (name == null || (!declared && !matched))) {
      out.add(seed(o.get("additionalProperties"), at + "/additionalProperties"));
    }
  }

  /** The subschemas that apply to item {@code index} (any item for -1) of a value {@code o} applies to. */
  private static void items(JSONObject o, String at, int index, List<Applied> out) {
    Object items = o.opt("items");
    if (items instanceof JSONArray tuple) {
      for (int i = 0; i < tuple.length(); i++) {
        if (index < 0 || index == i) {
          out.add(seed(tuple.get(i), at + "/items/" + i));
        }
      }
      if (o.has("additionalItems") && (index < 0 || index >= tuple.length())) {
        out.add(seed(o.get("additionalItems"), at + "/additionalItems"));
      }
    } else if (items != null) {
      out.add(seed(items, at + "/items"));
    }
    if (o.has("contains")) {
      out.add(seed(o.get("contains"), at + "/contains"));
    }
  }

  /**
   * A subschema that may apply to a member or item. Whether it always does is moot here: this asks only what may hold
   * a value, never what must.
   */
  private static Applied seed(Object schema, String pointer) {
    return new Applied(new Node(schema, pointer), false);
  }

  /** Whether some subschema of the place has one of the keywords. */
  private static boolean describes(Place place, String... keywords) {
    for (Applied s : place.schemas()) {
      JSONObject o = schema(s);
      for (String k : keywords) {
        if (o.has(k)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether a value of the place may be of JSON type {@code kind}: unless every {@code type} said excludes it. */
  private static boolean may(Place place, String kind) {
    boolean typed = false;
    for (Applied s : place.schemas()) {
      Object type = schema(s).opt("type");
      if (type instanceof String t) {
        typed = true;
        if (t.equals(kind)) {
          return true;
        }
      } else if (type instanceof JSONArray a) {
        typed = true;
        for (int i = 0; i < a.length(); i++) {
          if (kind.equals(a.opt(i))) {
            return true;
          }
        }
      }
    }
    return !typed;
  }

  private static JSONObject schema(Applied object) {
    return (JSONObject) object.node().schema();
  }

  /**
   * Whether a {@code patternProperties} pattern (ECMA 262, unanchored) may match {@code name}. Matched with RE2J, in
   * time linear in the name, when the pattern is within the registry's limits; else, or when RE2J cannot compile it,
   * it may.
   */
  private static boolean mayMatch(String pattern, String name) {
    if (!SchemaCompiler.patternWithinLimits(pattern)) {
      return true;
    }
    try {
      return com.google.re2j.Pattern.compile(pattern).matcher(name).find();
    } catch (RuntimeException e) {
      return true;
    }
  }
}
