package dev.sluice.schemas.registry;

import static dev.sluice.schemas.JsonPointers.escape;

import dev.sluice.schemas.JsonNumbers;
import dev.sluice.schemas.Identifiers;
import dev.sluice.schemas.JsonPointers;
import dev.sluice.schemas.SchemaDocument;
import dev.sluice.schemas.marks.MarkProblem;
import dev.sluice.schemas.marks.MarkRules;
import dev.sluice.schemas.marks.RelaxedSchema;
import dev.sluice.schemas.marks.SensitiveMarks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.everit.json.schema.loader.SchemaClient;
import org.everit.json.schema.loader.SchemaLoader;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import org.json.JSONTokener;

/**
 * Turns a schema document into a compiled everit {@link Schema}, or says why it may not be registered. Pure: it never
 * opens a network connection or a file (a {@code $ref} that would need a fetch is refused, not fetched: no SSRF), and {@code pattern}s
 * compile with RE2J, whose matching time is linear in the input, and only when their program is small enough
 * ({@link PatternProgram}) that one match stays cheap. Matching is charged to the validation's {@link CostMeter}.
 *
 * <p>Refusal rules (the {@link SchemaProblem#rule()} values), all checked statically on the JSON text before everit sees
 * the document:
 *
 * <ul>
 *   <li>{@code json}: not one JSON object, or nested deeper than {@value #MAX_NESTING} objects/arrays;
 *   <li>{@code boolean-schema}: the whole document is {@code true} or {@code false}, valid draft-07 but no description
 *       of a type's data (booleans are fine as subschemas);
 *   <li>{@code remote-ref}: a {@code $ref} that, resolved against the base URI in effect where it stands (the
 *       {@code $id}s above it, {@link dev.sluice.schemas.Identifiers}), names a schema outside the document;
 *   <li>{@code unresolvable-ref}: a {@code $ref} into the document whose target does not exist, is not a schema, or is
 *       claimed by two {@code $id}s;
 *   <li>{@code ref-cycle}: {@code $ref}s (possibly through keywords that apply to the same value) that lead back to
 *       themselves without descending into the instance; validation would never terminate;
 *   <li>{@code ref-expansion}: more than {@value #MAX_IN_PLACE_CHAIN} {@code $ref}s applied one after another to the
 *       same value (validation would recurse that deep), or more than {@value #MAX_IN_PLACE_APPLICATIONS} schemas
 *       applied to one value counting every path ({@code allOf} of {@code allOf}s doubling per level);
 *   <li>{@code pattern}: a {@code pattern} or {@code patternProperties} key that RE2J cannot compile;
 *   <li>{@code pattern-size}: a pattern whose RE2J program would have more than {@value #MAX_PATTERN_INSTRUCTIONS}
 *       instructions (nested counted repetitions multiply), or whose groups nest deeper than
 *       {@value #MAX_PATTERN_NESTING};
 *   <li>{@code draft-07}: the document violates the draft-07 meta-schema, names another dialect in {@code $schema}, has
 *       an {@code $id} that is not a URI reference, or everit cannot load it;
 *   <li>the sensitive-mark rules of {@link MarkRules} ({@code mark-placement} and the {@code data-subject-*} rules),
 *       checked once the document is otherwise sound.
 * </ul>
 *
 * <p>Numbers in the document are read in their canonical form ({@link JsonNumbers}): {@code "maxItems": 2.0} is 2.
 * everit is given a copy in which each {@code $ref} is the pointer it resolves to and no {@code $id} is left, so it
 * resolves exactly what the checks above resolved and has nothing to fetch.
 *
 * <p>A document that marks values {@code "x-sensitive": true} is compiled twice: as written, and relaxed
 * ({@link RelaxedSchema}: each marked subschema replaced by {@code true}) to validate sealed data.
 */
public final class SchemaCompiler {
  /** Deepest nesting of JSON objects and arrays accepted; a schema for data nested 64 deep needs about 130. */
  static final int MAX_NESTING = 256;

  /** Longest chain of same-value {@code $ref} hops accepted; real schemas use a handful. */
  static final int MAX_IN_PLACE_CHAIN = 64;

  /** Most schemas applied to one value (every path through $ref and the combinators counts). */
  static final int MAX_IN_PLACE_APPLICATIONS = 10_000;

  /**
   * Largest RE2J program a pattern may compile to. Matching costs the input's length times this at worst, so it bounds
   * the cost of every character matched. Ordinary patterns are far below: a UUID is 40 instructions, an e-mail pattern
   * with bounded parts about 800, {@code ^.{1,1000}$} 2,003.
   */
  public static final int MAX_PATTERN_INSTRUCTIONS = 10_000;

  /** Deepest nesting of groups in a pattern; RE2J compiles recursively, so this also guards its stack. */
  public static final int MAX_PATTERN_NESTING = 100;

  private static final Set<String> DRAFT_07_URIS = Set.of(
      "http://json-schema.org/draft-07/schema#", "http://json-schema.org/draft-07/schema",
      "https://json-schema.org/draft-07/schema#", "https://json-schema.org/draft-07/schema");

  /** Keywords whose value is one schema that applies to the same instance. */
  private static final List<String> IN_PLACE_SINGLE = List.of("not", "if", "then", "else");
  /** Keywords whose value is an array of schemas that apply to the same instance. */
  private static final List<String> IN_PLACE_ARRAYS = List.of("allOf", "anyOf", "oneOf");
  /** Keywords whose value is one schema applied to a part of the instance (a member, an item, a name). */
  private static final List<String> DESCENDING_SINGLE =
      List.of("additionalProperties", "additionalItems", "contains", "propertyNames");
  /** Keywords whose value is a map of schemas applied to members of the instance. */
  private static final List<String> DESCENDING_MAPS = List.of("properties", "patternProperties");
  /** Keywords whose value is a map of schemas that apply to nothing until a {@code $ref} names them. */
  private static final List<String> CONTAINERS = List.of("definitions", "$defs");
  /** Keywords whose value is data, never a schema. */
  private static final Set<String> DATA = Set.of("enum", "const", "default", "examples");

  /** Never called: the registry never fetches a schema. A second line of defence behind the static checks. */
  private static final SchemaClient NO_REMOTE = url -> {
    throw new UncheckedIOException(new IOException("remote $ref is not allowed: " + url));
  };

  private SchemaCompiler() {}

  /** The outcome of compiling one schema document. */
  public sealed interface Result {}

  /**
   * The document compiled; the schemas are safe to share between threads.
   *
   * @param relaxed the schema that validates sealed data: {@code schema} itself when nothing is marked
   * @param marks the values the document marks sensitive, and its data subject
   * @param usesUniqueItems whether some subschema says {@code uniqueItems: true}, whose check compares every pair of
   *     an array's items: validation then charges the data's arrays to the {@link CostMeter} first
   */
  public record Compiled(Schema schema, Schema relaxed, SensitiveMarks marks, boolean usesUniqueItems)
      implements Result {
    public Compiled {
      Objects.requireNonNull(schema, "schema");
      Objects.requireNonNull(relaxed, "relaxed");
      Objects.requireNonNull(marks, "marks");
    }
  }

  /** The document may not be registered; every problem found is listed. */
  public record Refused(List<SchemaProblem> problems) implements Result {
    public Refused {
      problems = List.copyOf(problems);
    }
  }

  public static Result compile(String schemaJson) {
    if (nestingExceeds(schemaJson, MAX_NESTING)) {
      // Checked on the text, before the recursive parser and walkers run, so no depth can overflow the stack.
      return new Refused(List.of(new SchemaProblem("", "json",
          "the schema nests objects and arrays deeper than " + MAX_NESTING + " levels")));
    }
    JSONObject raw;
    try {
      JSONTokener tokener = new JSONTokener(schemaJson);
      Object value = tokener.nextValue();
      if (value instanceof Boolean b && tokener.nextClean() == 0) {
        return new Refused(List.of(new SchemaProblem("", "boolean-schema", "`" + b + "` is a valid draft-07 schema "
            + "and may be used anywhere inside a type's schema, but not as a whole type's schema: it would "
            + (b ? "accept any data without describing it; write {} (or a schema that says what the data is)"
                : "refuse every event of the type")
            + "; a type's schema must be a JSON object")));
      }
      if (!(value instanceof JSONObject o) || tokener.nextClean() != 0) {
        return new Refused(List.of(new SchemaProblem("", "json", "a schema must be one JSON object")));
      }
      // Numbers in the form draft-07 judges them by: maxItems 2.0 is the integer 2, enum [1.0] lists the integer 1.
      raw = (JSONObject) JsonNumbers.canonicalized(o);
    } catch (JSONException e) {
      return new Refused(List.of(new SchemaProblem("", "json", "the schema is not valid JSON: " + e.getMessage())));
    }
    DocumentScan scan = new DocumentScan(raw);
    List<SchemaProblem> problems = new ArrayList<>(scan.problems());
    problems.addAll(dialectProblems(raw));
    problems.addAll(MetaSchema.problems(raw));
    if (!problems.isEmpty()) {
      return new Refused(problems);
    }
    // Every pattern has passed its size check by now, so compiling one to match a member name is cheap.
    SensitiveMarks marks = SensitiveMarks.of(raw,
        (pattern, name) -> com.google.re2j.Pattern.compile(pattern).matcher(name).find());
    for (MarkProblem p : MarkRules.problems(marks)) {
      problems.add(new SchemaProblem(p.pointer(), p.rule(), p.message()));
    }
    if (!problems.isEmpty()) {
      return new Refused(problems);
    }
    try {
      // everit gets every $ref as the pointer it resolves to, and no $id: its own $id handling differs from draft-07
      // in places (ids inside enum values, relative ids, base URIs in subschemas) and, where it cannot resolve a URI,
      // it would fetch. The pointers are the same in both documents, so the marks' pointers hold for the copy.
      JSONObject forEverit = scan.localized();
      Schema schema = load(forEverit);
      Schema relaxed = marks.any() ? load(RelaxedSchema.of(forEverit, marks)) : schema;
      return new Compiled(schema, relaxed, marks, scan.usesUniqueItems());
    } catch (RuntimeException e) {
      return new Refused(List.of(new SchemaProblem("", "draft-07", "the schema does not compile: " + e.getMessage())));
    }
  }

  private static Schema load(JSONObject document) {
    return SchemaLoader.builder()
        .draftV7Support()
        .schemaJson(document)
        .regexpFactory(new MeteredRegexpFactory())
        .schemaClient(NO_REMOTE)
        .build()
        .load()
        .build();
  }

  /** Whether RE2J may compile {@code pattern}: its program is within the size and nesting limits. */
  public static boolean patternWithinLimits(String pattern) {
    PatternProgram.Size size = PatternProgram.of(pattern);
    return size.nesting() <= MAX_PATTERN_NESTING && size.instructions() <= MAX_PATTERN_INSTRUCTIONS;
  }

  /** Whether brackets outside strings nest deeper than {@code limit}; a plain scan, whatever the text. */
  private static boolean nestingExceeds(String text, int limit) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        if (++depth > limit) {
          return true;
        }
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
    return false;
  }

  /** everit switches semantics (e.g. to draft-04) by {@code $schema}; only draft-07 is registered. */
  private static List<SchemaProblem> dialectProblems(JSONObject root) {
    Object dialect = root.opt("$schema");
    if (dialect == null || (dialect instanceof String s && DRAFT_07_URIS.contains(s))) {
      return List.of();
    }
    return List.of(new SchemaProblem("/$schema", "draft-07",
        "only draft-07 schemas are registered; `$schema` must be http://json-schema.org/draft-07/schema#, was "
            + JSONObject.valueToString(dialect)));
  }

  /** Validation against the draft-07 meta-schema, a copy on the class path (never fetched). */
  private static final class MetaSchema {
    private static final Schema DRAFT_07 = load();

    private static Schema load() {
      try (InputStream in = SchemaCompiler.class.getResourceAsStream("/sluice/meta/draft-07-schema.json")) {
        if (in == null) {
          throw new IllegalStateException("the draft-07 meta-schema is missing from the class path");
        }
        JSONObject json = new JSONObject(new JSONTokener(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        return SchemaLoader.builder().draftV7Support().schemaJson(json).schemaClient(NO_REMOTE).build().load().build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    static List<SchemaProblem> problems(JSONObject document) {
      try {
        DRAFT_07.validate(document);
        return List.of();
      } catch (ValidationException e) {
        List<SchemaProblem> out = new ArrayList<>();
        flatten(e, out);
        return out;
      }
    }

    /**
     * everit nests failures; the leaves are the violations. The meta-schema says "object or boolean" for every
     * subschema, so each failure of an {@code anyOf} also carries a "expected type: Boolean" leaf for the branch the
     * author obviously did not mean; those type leaves are dropped when the other branch says something more specific.
     */
    private static void flatten(ValidationException e, List<SchemaProblem> out) {
      List<ValidationException> causes = e.getCausingExceptions();
      if (causes.isEmpty()) {
        out.add(problem(e.getPointerToViolation(), e.getErrorMessage()));
        return;
      }
      if ("anyOf".equals(e.getKeyword()) || "oneOf".equals(e.getKeyword())) {
        // A branch whose type matched fails deeper or on another keyword; that is the one the author meant.
        List<ValidationException> specific = causes.stream()
            .filter(c -> !"type".equals(c.getKeyword())
                || !String.valueOf(c.getPointerToViolation()).equals(String.valueOf(e.getPointerToViolation())))
            .toList();
        if (specific.isEmpty()) {
          List<String> messages = causes.stream().map(ValidationException::getErrorMessage).distinct().toList();
          out.add(problem(e.getPointerToViolation(), String.join(", or ", messages)));
          return;
        }
        causes = specific;
      }
      for (ValidationException cause : causes) {
        flatten(cause, out);
      }
    }

    private static SchemaProblem problem(String everitPointer, String message) {
      String pointer = everitPointer == null ? "" : everitPointer.replaceFirst("^#", "");
      return new SchemaProblem(pointer, "draft-07", "not valid draft-07 JSON Schema: " + message);
    }
  }

  /**
   * One pass over the schema positions of a document (plus the targets of local {@code $ref}s), collecting the
   * remote-ref, unresolvable-ref, ref-cycle, ref-expansion and pattern problems.
   */
  private static final class DocumentScan {
    private final JSONObject root;
    private final List<SchemaProblem> problems = new ArrayList<>();
    /** Schema positions in walk order, by canonical pointer. */
    private final Map<String, Object> schemas = new LinkedHashMap<>();
    /** The document's base URIs and what its {@code $id}s name: where each {@code $ref} leads. */
    private final Identifiers identifiers;
    /** Every object walked (schema positions and the objects of unknown keywords): where an {@code $id} may act. */
    private final Set<String> objects = new java.util.HashSet<>();
    /** {@code $ref} values found, by the pointer of the schema holding them, in walk order. */
    private final Map<String, String> refs = new LinkedHashMap<>();
    /** Resolved local references: pointer of the schema holding {@code $ref} to the pointer of its target. */
    private final Map<String, String> resolved = new HashMap<>();
    private boolean uniqueItems;

    DocumentScan(JSONObject root) {
      this.root = root;
      this.identifiers = new SchemaDocument(root).identifiers();
      for (Identifiers.BadId bad : identifiers.badIds()) {
        problems.add(new SchemaProblem(bad.pointer(), "draft-07",
            "not valid draft-07 JSON Schema: `$id` `" + bad.id() + "` is not a URI reference"));
      }
      walk(root, "", true);
      resolveReferences();
      findInPlaceCycles();
    }

    List<SchemaProblem> problems() {
      return problems;
    }

    boolean usesUniqueItems() {
      return uniqueItems;
    }

    /**
     * A copy of the document with each {@code $ref} replaced by the pointer it resolves to ({@code #/...}) and no
     * {@code $id} in any schema (nor in any object of an unknown keyword, which a {@code $ref} may make a schema); data
     * ({@code enum}, {@code const}...) is copied as it is. Only for a document whose references all resolved. Recurses
     * once per level, which {@link #MAX_NESTING} bounds.
     */
    JSONObject localized() {
      return (JSONObject) localized(root, "");
    }

    private Object localized(Object node, String pointer) {
      if (node instanceof JSONObject o) {
        boolean walked = objects.contains(pointer);
        JSONObject out = new JSONObject();
        for (String key : o.keySet()) {
          if (walked && key.equals("$id")) {
            continue;
          }
          String at = pointer + "/" + escape(key);
          boolean reference = walked && key.equals("$ref") && resolved.containsKey(pointer);
          out.put(key, reference ? "#" + JsonPointers.toFragment(resolved.get(pointer)) : localized(o.get(key), at));
        }
        return out;
      }
      if (node instanceof JSONArray a) {
        JSONArray out = new JSONArray();
        for (int i = 0; i < a.length(); i++) {
          out.put(localized(a.get(i), pointer + "/" + i));
        }
        return out;
      }
      return node;
    }

    /**
     * Visits a schema. {@code strict} nodes are real schema positions: patterns are checked there.
     * Values of keywords unknown to draft-07 are visited loosely, only for {@code $ref} (a local ref can make them
     * schemas, and a remote ref hidden there must not be fetched either).
     */
    private void walk(Object node, String pointer, boolean strict) {
      if (!(node instanceof JSONObject o)) {
        if (node instanceof JSONArray a && !strict) {
          for (int i = 0; i < a.length(); i++) {
            walk(a.get(i), pointer + "/" + i, false);
          }
        }
        if (strict && node instanceof Boolean) {
          schemas.putIfAbsent(pointer, node);
        }
        return;
      }
      if (strict && schemas.putIfAbsent(pointer, o) != null) {
        return;
      }
      objects.add(pointer);
      if (o.opt("$ref") instanceof String ref) {
        refs.putIfAbsent(pointer, ref);
      }
      if (strict) {
        checkPatterns(o, pointer);
        uniqueItems |= Boolean.TRUE.equals(o.opt("uniqueItems"));
      }
      for (String key : new TreeSet<>(o.keySet())) {
        Object value = o.get(key);
        String at = pointer + "/" + escape(key);
        if (!strict) {
          if (!DATA.contains(key)) {
            walk(value, at, false);
          }
        } else if (IN_PLACE_SINGLE.contains(key) || DESCENDING_SINGLE.contains(key)) {
          walk(value, at, true);
        } else if (IN_PLACE_ARRAYS.contains(key)) {
          walkArray(value, at);
        } else if (key.equals("items")) {
          if (value instanceof JSONArray) {
            walkArray(value, at);
          } else {
            walk(value, at, true);
          }
        } else if (DESCENDING_MAPS.contains(key) || CONTAINERS.contains(key) || key.equals("dependencies")) {
          walkMap(value, at, key.equals("dependencies"));
        } else if (!DATA.contains(key) && (value instanceof JSONObject || value instanceof JSONArray)) {
          walk(value, at, false);
        }
      }
    }

    private void walkArray(Object value, String pointer) {
      if (value instanceof JSONArray a) {
        for (int i = 0; i < a.length(); i++) {
          walk(a.get(i), pointer + "/" + i, true);
        }
      }
    }

    private void walkMap(Object value, String pointer, boolean dependencies) {
      if (value instanceof JSONObject map) {
        for (String name : new TreeSet<>(map.keySet())) {
          Object member = map.get(name);
          // dependencies also allows arrays of property names, which are not schemas.
          if (!dependencies || member instanceof JSONObject || member instanceof Boolean) {
            walk(member, pointer + "/" + escape(name), true);
          }
        }
      }
    }

    private void checkPatterns(JSONObject o, String pointer) {
      if (o.opt("pattern") instanceof String p) {
        checkPattern(p, pointer + "/pattern");
      }
      if (o.opt("patternProperties") instanceof JSONObject map) {
        for (String p : new TreeSet<>(map.keySet())) {
          checkPattern(p, pointer + "/patternProperties/" + escape(p));
        }
      }
    }

    private void checkPattern(String pattern, String pointer) {
      // Measured before RE2J compiles it: compiling a huge program is itself the cost to avoid.
      PatternProgram.Size size = PatternProgram.of(pattern);
      if (size.nesting() > MAX_PATTERN_NESTING) {
        problems.add(new SchemaProblem(pointer, "pattern-size", "pattern nests groups " + size.nesting()
            + " deep; at most " + MAX_PATTERN_NESTING + " levels are allowed"));
        return;
      }
      if (size.instructions() > MAX_PATTERN_INSTRUCTIONS) {
        problems.add(new SchemaProblem(pointer, "pattern-size", "pattern compiles to "
            + (size.instructions() >= PatternProgram.SATURATED ? "more than " + PatternProgram.SATURATED
                : String.valueOf(size.instructions()))
            + " matching instructions; at most " + MAX_PATTERN_INSTRUCTIONS + " are allowed, because matching a value "
            + "costs its length times that size (counted repetitions multiply when nested: (a{1,1000}){1,1000} is "
            + "about a million); bound the repetitions, or move a length limit to maxLength"));
        return;
      }
      try {
        com.google.re2j.Pattern.compile(pattern);
      } catch (com.google.re2j.PatternSyntaxException e) {
        problems.add(new SchemaProblem(pointer, "pattern", compilesWithBacktracking(pattern)
            ? "pattern uses a feature RE2J does not support (backreferences, lookaround); Sluice runs patterns in "
                + "linear time (" + e.getMessage() + ")"
            : "pattern is not a valid regular expression (" + e.getMessage() + ")"));
      }
    }

    /** Only compiles (never matches), which takes time linear in the pattern. */
    private static boolean compilesWithBacktracking(String pattern) {
      try {
        java.util.regex.Pattern.compile(pattern);
        return true;
      } catch (java.util.regex.PatternSyntaxException e) {
        return false;
      }
    }

    /** Resolves every local $ref, walking targets that are not yet known schema positions (worklist: it grows). */
    private void resolveReferences() {
      Deque<Map.Entry<String, String>> pending = new ArrayDeque<>(refs.entrySet());
      Set<String> seen = new java.util.HashSet<>(refs.keySet());
      while (!pending.isEmpty()) {
        Map.Entry<String, String> entry = pending.removeFirst();
        String at = entry.getKey();
        String ref = entry.getValue();
        String refPointer = at + "/$ref";
        Identifiers.Target found = identifiers.resolve(ref, at);
        if (found instanceof Identifiers.Remote) {
          problems.add(new SchemaProblem(refPointer, "remote-ref", "remote $ref is not allowed: `" + ref
              + "` names a schema outside this document, which would have to be fetched; a $ref must resolve inside "
              + "the document (#/definitions/..., #name, or a URI that an $id in the document declares); the "
              + "registry never opens a connection or a file to load a schema"));
          continue;
        }
        if (found instanceof Identifiers.Missing missing) {
          problems.add(new SchemaProblem(refPointer, "unresolvable-ref", missing.reason()));
          continue;
        }
        String target = ((Identifiers.Local) found).pointer();
        if (target.endsWith("/")) {
          // everit splits pointers dropping trailing empty tokens, so it would validate against the wrong schema.
          problems.add(new SchemaProblem(refPointer, "unresolvable-ref", "$ref `" + ref + "` leads to a member "
              + "whose name is empty (#" + target + "), which the validator cannot follow; give that schema a name"));
          continue;
        }
        Object value = JsonPointers.valueAt(root, target);
        if (!(value instanceof JSONObject || value instanceof Boolean)) {
          problems.add(new SchemaProblem(refPointer, "unresolvable-ref",
              "$ref `" + ref + "` points at " + describe(value) + ", not at a schema"));
          continue;
        }
        resolved.put(at, target);
        if (!schemas.containsKey(target)) {
          walk(value, target, true);
          for (Map.Entry<String, String> more : refs.entrySet()) {
            if (seen.add(more.getKey())) {
              pending.addLast(more);
            }
          }
        }
      }
    }

    /**
     * The graph whose edges are "validating this schema also validates that one against the same value": $ref (draft
     * 07 ignores the siblings of $ref, so a $ref schema has only that edge), allOf/anyOf/oneOf/not/if/then/else and
     * schema-valued dependencies. A cycle there never terminates; properties, items and the like descend into a
     * smaller value, so recursion through them is fine (a tree).
     */
    private List<String> inPlaceEdges(String pointer) {
      if (!(schemas.get(pointer) instanceof JSONObject o)) {
        return List.of();
      }
      if (o.has("$ref")) {
        String target = resolved.get(pointer);
        return target == null ? List.of() : List.of(target);
      }
      List<String> out = new ArrayList<>();
      for (String key : new TreeSet<>(o.keySet())) {
        String at = pointer + "/" + escape(key);
        Object value = o.get(key);
        if (IN_PLACE_SINGLE.contains(key) && schemas.containsKey(at)) {
          out.add(at);
        } else if (IN_PLACE_ARRAYS.contains(key) && value instanceof JSONArray a) {
          for (int i = 0; i < a.length(); i++) {
            if (schemas.containsKey(at + "/" + i)) {
              out.add(at + "/" + i);
            }
          }
        } else if (key.equals("dependencies") && value instanceof JSONObject map) {
          for (String name : new TreeSet<>(map.keySet())) {
            String dep = at + "/" + escape(name);
            if (schemas.containsKey(dep)) {
              out.add(dep);
            }
          }
        }
      }
      return out;
    }

    /**
     * Iterative depth-first search over the same-value graph (a long $ref chain must not overflow the stack here).
     * Besides cycles it measures, for each schema, the longest chain of $refs and the number of schemas that apply to
     * one value from there (each path counts: {@code allOf:[a,a]} with {@code a} = {@code allOf:[b,b]} ... doubles
     * per level, which would make validating a single value take exponential time).
     */
    private void findInPlaceCycles() {
      Map<String, Integer> state = new HashMap<>(); // absent: new, 1: on the path, 2: done
      Map<String, Frame> done = new HashMap<>();
      boolean reported = false;
      for (String start : new ArrayList<>(schemas.keySet())) {
        if (state.containsKey(start)) {
          continue;
        }
        Deque<Frame> path = new ArrayDeque<>();
        path.push(new Frame(start, inPlaceEdges(start).iterator()));
        state.put(start, 1);
        while (!path.isEmpty()) {
          Frame top = path.peek();
          if (top.next.hasNext()) {
            String child = top.next.next();
            Integer s = state.get(child);
            if (s == null) {
              state.put(child, 1);
              path.push(new Frame(child, inPlaceEdges(child).iterator()));
            } else if (s == 1) {
              reportCycle(path, child);
            } else {
              top.absorb(done.get(child), resolved.containsKey(top.pointer));
            }
          } else {
            path.pop();
            state.put(top.pointer, 2);
            done.put(top.pointer, top);
            if (!reported && (top.chain > MAX_IN_PLACE_CHAIN || top.applications > MAX_IN_PLACE_APPLICATIONS)) {
              reported = true;
              problems.add(new SchemaProblem(top.pointer, "ref-expansion", top.chain > MAX_IN_PLACE_CHAIN
                  ? "a chain of " + top.chain + " $refs applies to the same value; at most " + MAX_IN_PLACE_CHAIN
                      + " are allowed"
                  : "more than " + MAX_IN_PLACE_APPLICATIONS + " schemas (counting every path through $ref, allOf, "
                      + "anyOf, oneOf, not, if/then/else, dependencies) apply to the same value"));
            }
            if (!path.isEmpty()) {
              path.peek().absorb(top, resolved.containsKey(path.peek().pointer));
            }
          }
        }
      }
    }

    /** Names the cycle by the $ref that closes it: the last $ref on the path from {@code target} back to itself. */
    private void reportCycle(Deque<Frame> path, String target) {
      List<String> cycle = new ArrayList<>();
      Iterator<Frame> fromTop = path.iterator();
      while (fromTop.hasNext()) {
        String pointer = fromTop.next().pointer;
        cycle.add(0, pointer);
        if (pointer.equals(target)) {
          break;
        }
      }
      String closing = null;
      for (String pointer : cycle) {
        if (resolved.containsKey(pointer)) {
          closing = pointer;
        }
      }
      cycle.add(target);
      String at = closing == null ? target : closing + "/$ref";
      problems.add(new SchemaProblem(at, "ref-cycle",
          "$ref cycle that never descends into the value, so validation would never end: "
              + String.join(" -> ", cycle.stream().map(p -> p.isEmpty() ? "#" : "#" + p).toList())));
    }

    private static final class Frame {
      final String pointer;
      final Iterator<String> next;
      /** Most $ref hops from here on the same value. */
      int chain;
      /** Schemas applied to one value from here, this one included; capped so it cannot overflow. */
      long applications = 1;

      Frame(String pointer, Iterator<String> next) {
        this.pointer = pointer;
        this.next = next;
      }

      void absorb(Frame child, boolean viaRef) {
        chain = Math.max(chain, child.chain + (viaRef ? 1 : 0));
        applications = Math.min(applications + child.applications, MAX_IN_PLACE_APPLICATIONS + 1L);
      }
    }

    /** How a message names a value that is not a schema: "an array", "a string", "a number" or "null". */
    private static String describe(Object value) {
      return switch (JsonValues.kindOf(value)) {
        case "array" -> "an array";
        case "string" -> "a string";
        case "integer", "number" -> "a number";
        default -> "null";
      };
    }
  }
}
