package dev.sluice.schemas.marks;

import static dev.sluice.schemas.JsonPointers.escape;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Where sensitive marks may sit, checked when a schema version is registered. Each problem is refused with 422 and a
 * JSON pointer into the schema:
 *
 * <ul>
 *   <li>{@code mark-placement}: a mark is reached through anything but {@code properties}, {@code items} (one schema
 *       or a tuple), {@code additionalProperties}, {@code allOf} and local {@code $ref}; or a value around a mark is
 *       compared whole ({@code enum}, {@code const}, {@code uniqueItems}); or another subschema that applies to the
 *       marked value does not mark it; or {@code patternProperties} may apply where {@code additionalProperties}
 *       marks; or a {@code $ref} points inside a marked subschema; or the marks are too entangled to locate;
 *   <li>{@code data-subject-missing}: something is marked but the root names no {@code x-data-subject};
 *   <li>{@code data-subject-undeclared}: the subject is not a JSON pointer, or some member on its way is not declared
 *       under {@code properties};
 *   <li>{@code data-subject-not-required}: some member on the subject's way is not {@code required};
 *   <li>{@code data-subject-type}: the subject is not declared {@code "type": "string"} or {@code "integer"};
 *   <li>{@code data-subject-marked}: the subject is marked, or lies inside a marked value.
 * </ul>
 *
 * <p>The placement rules are what make validating sealed data sound: with them, no unmarked subschema ever inspects a
 * marked value, so replacing marked values (and their subschemas, {@link RelaxedSchema}) changes no verdict elsewhere.
 */
public final class MarkRules {
  public static final String PLACEMENT = "mark-placement";
  public static final String SUBJECT_MISSING = "data-subject-missing";
  public static final String SUBJECT_UNDECLARED = "data-subject-undeclared";
  public static final String SUBJECT_NOT_REQUIRED = "data-subject-not-required";
  public static final String SUBJECT_TYPE = "data-subject-type";
  public static final String SUBJECT_MARKED = "data-subject-marked";

  /** The keywords through which a mark may be reached. */
  private static final Set<String> ALLOWED_PATHS =
      Set.of("properties", "items", "additionalProperties", "allOf", "$ref");
  /** Keywords that say nothing about the value they sit on (the in-place applicators are judged by their branches). */
  private static final Set<String> NOT_ASSERTING = Set.of("$ref", "$id", "id", "$schema", "$comment", "title",
      "description", "default", "examples", "readOnly", "writeOnly", "definitions", "$defs", "allOf", "anyOf", "oneOf",
      "not", "if", "then", "else", "contentMediaType", "contentEncoding");
  private static final Set<String> SUBJECT_TYPES = Set.of("string", "integer");
  private static final String SUBJECT_AT = "/" + SensitiveMarks.DATA_SUBJECT;

  private MarkRules() {}

  /** Every problem with the marks of {@code marks}' schema, in a stable order; empty when it may be registered. */
  public static List<MarkProblem> problems(SensitiveMarks marks) {
    InstanceGraph graph = marks.graph();
    Set<MarkProblem> out = new LinkedHashSet<>();
    if (graph.tooComplex()) {
      out.add(new MarkProblem("", PLACEMENT, "the schema's subschemas combine into more than "
          + InstanceGraph.MAX_NODES + " distinct places around its marks; simplify the marked part of the schema"));
    }
    paths(graph.positions(), out);
    refsIntoMarks(graph.positions(), out);
    for (InstanceGraph.Node node : graph.nodes()) {
      if (node.marked()) {
        unmarkedNeighbours(graph, node, out);
      } else if (node.relevant) {
        wholeValueChecks(graph, node, out);
      }
    }
    subject(marks, out);
    return List.copyOf(out);
  }

  /** A walk of (position, first forbidden keyword on the way) from the root: each mark must be reached cleanly. */
  private static void paths(SchemaPositions positions, Set<MarkProblem> out) {
    record State(String pointer, String forbidden) {}
    Deque<State> pending = new ArrayDeque<>();
    Set<State> seen = new HashSet<>();
    pending.push(new State("", null));
    while (!pending.isEmpty()) {
      State s = pending.pop();
      if (!seen.add(s)) {
        continue;
      }
      if (positions.marked(s.pointer())) {
        if (s.forbidden() != null) {
          out.add(new MarkProblem(s.pointer() + "/" + SensitiveMarks.SENSITIVE, PLACEMENT, "this mark is reached "
              + "through `" + s.forbidden() + "`; a value may be marked only through properties, items, "
              + "additionalProperties, allOf and local $ref, so that the same values are marked whichever branch "
              + "matches"));
        }
        continue;
      }
      for (SchemaPositions.Edge e : positions.edges(s.pointer())) {
        if (positions.reachesMark(e.target())) {
          pending.push(new State(e.target(),
              s.forbidden() != null || ALLOWED_PATHS.contains(e.keyword()) ? s.forbidden() : e.keyword()));
        }
      }
    }
  }

  /** A $ref into a marked subschema would apply a part of what sealing replaces somewhere else. */
  private static void refsIntoMarks(SchemaPositions positions, Set<MarkProblem> out) {
    for (Map.Entry<String, String> ref : positions.refs().entrySet()) {
      for (String mark : positions.markedPositions()) {
        if (ref.getValue().startsWith(mark + "/")) {
          out.add(new MarkProblem(ref.getKey() + "/$ref", PLACEMENT, "this $ref points inside the marked subschema "
              + "at " + display(mark) + "; refer to the marked subschema itself, or move the part into definitions"));
        }
      }
    }
  }

  /** Every subschema that applies to a marked value must mark it too, or say nothing about it. */
  private static void unmarkedNeighbours(InstanceGraph graph, InstanceGraph.Node node, Set<MarkProblem> out) {
    for (String s : node.schemas) {
      if (!graph.positions().marked(s) && asserts(graph.schema(s))) {
        out.add(new MarkProblem(s, PLACEMENT, "this subschema applies to the value marked sensitive at "
            + display(node.mark) + " but does not mark it; mark it too, or move its constraints into the marked "
            + "subschema"));
      }
    }
  }

  /** Around a mark, nothing may compare values whole, and additionalProperties must decide alone which it marks. */
  private static void wholeValueChecks(InstanceGraph graph, InstanceGraph.Node node, Set<MarkProblem> out) {
    boolean itemsRelevant = node.rest != null && node.rest.relevant
        || node.tuple.stream().anyMatch(n -> n.relevant);
    boolean othersRelevant = node.other != null && node.other.relevant;
    for (String s : node.schemas) {
      JSONObject o = graph.schema(s);
      for (String keyword : List.of("enum", "const")) {
        if (o.has(keyword)) {
          out.add(new MarkProblem(s + "/" + keyword, PLACEMENT, "`" + keyword + "` compares the whole value, and a "
              + "value inside it is marked sensitive; mark the whole value instead, or drop the `" + keyword + "`"));
        }
      }
      if (itemsRelevant && Boolean.TRUE.equals(o.opt("uniqueItems"))) {
        out.add(new MarkProblem(s + "/uniqueItems", PLACEMENT, "`uniqueItems` compares items whole, and a value in "
            + "them is marked sensitive; drop `uniqueItems` or mark the whole array"));
      }
      if (othersRelevant && o.has("patternProperties")) {
        out.add(new MarkProblem(s + "/patternProperties", PLACEMENT, "additionalProperties marks values here, so "
            + "patternProperties would decide which members are marked; declare the marked members under properties"));
      }
    }
  }

  private static boolean asserts(JSONObject schema) {
    for (String key : schema.keySet()) {
      if (!NOT_ASSERTING.contains(key) && !key.startsWith("x-")
          && !(key.equals("dependencies") && onlySchemas(schema.get(key)))) {
        return true;
      }
    }
    return false;
  }

  /** Schema dependencies apply in place (judged as branches); property-list dependencies assert presence. */
  private static boolean onlySchemas(Object dependencies) {
    if (!(dependencies instanceof JSONObject map)) {
      return false;
    }
    for (String name : map.keySet()) {
      if (map.get(name) instanceof JSONArray) {
        return false;
      }
    }
    return true;
  }

  private static void subject(SensitiveMarks marks, Set<MarkProblem> out) {
    Object declared = marks.graph().positions().root().opt(SensitiveMarks.DATA_SUBJECT);
    if (declared == null) {
      if (marks.any()) {
        out.add(new MarkProblem("", SUBJECT_MISSING, "the schema marks values sensitive but names no data subject; "
            + "add \"" + SensitiveMarks.DATA_SUBJECT + "\": \"/id\" (a pointer to the member that says whose data "
            + "this is) at the root"));
      }
      return;
    }
    Optional<List<String>> tokens = marks.subjectTokens();
    if (!(declared instanceof String) || tokens.isEmpty()) {
      out.add(new MarkProblem(SUBJECT_AT, SUBJECT_UNDECLARED, "`" + SensitiveMarks.DATA_SUBJECT + "` must be a JSON "
          + "pointer to a member of the data, such as \"/id\""));
      return;
    }
    InstanceGraph graph = marks.graph();
    InstanceGraph.Node node = graph.root();
    String at = "";
    for (String token : tokens.get()) {
      if (node.marked()) {
        out.add(new MarkProblem(SUBJECT_AT, SUBJECT_MARKED, "the data subject lies inside " + display(at)
            + ", which is marked sensitive; the subject must stay readable"));
        return;
      }
      if (!declares(graph, node, "properties", token)) {
        out.add(new MarkProblem(SUBJECT_AT, SUBJECT_UNDECLARED, "the data subject " + declared + " is not declared: "
            + "no `properties` of " + display(at) + " names `" + token + "`"));
        return;
      }
      if (!declares(graph, node, "required", token)) {
        out.add(new MarkProblem(SUBJECT_AT, SUBJECT_NOT_REQUIRED, "the data subject " + declared + " may be absent: "
            + "`" + token + "` is not `required` in " + display(at)));
      }
      node = node.memberAny(token);
      at = at + "/" + escape(token);
      if (node == null) {
        return;
      }
    }
    if (node.marked()) {
      out.add(new MarkProblem(SUBJECT_AT, SUBJECT_MARKED, "the data subject " + declared + " is marked sensitive; "
          + "the subject must stay readable, since it chooses the key that protects the other values"));
      return;
    }
    if (node.schemas.stream().noneMatch(s -> subjectType(graph.schema(s).opt("type")))) {
      out.add(new MarkProblem(SUBJECT_AT, SUBJECT_TYPE, "the data subject " + declared + " must be declared "
          + "\"type\": \"string\" or \"type\": \"integer\""));
    }
  }

  /** Whether a subschema applying to {@code node} lists {@code token} in {@code keyword} (properties or required). */
  private static boolean declares(InstanceGraph graph, InstanceGraph.Node node, String keyword, String token) {
    for (String s : node.schemas) {
      JSONObject o = graph.schema(s);
      if (o.has("$ref")) {
        continue;
      }
      Object value = o.opt(keyword);
      if (value instanceof JSONObject map && map.has(token)) {
        return true;
      }
      if (value instanceof JSONArray names && names.toList().contains(token)) {
        return true;
      }
    }
    return false;
  }

  private static boolean subjectType(Object type) {
    if (type instanceof String s) {
      return SUBJECT_TYPES.contains(s);
    }
    if (type instanceof JSONArray a && !a.isEmpty()) {
      return a.toList().stream().allMatch(SUBJECT_TYPES::contains);
    }
    return false;
  }

  /** An instance or schema pointer as messages show it. */
  private static String display(String pointer) {
    return pointer.isEmpty() ? "the root" : "`" + pointer + "`";
  }
}
