package dev.sluice.schemas.marks;

import static dev.sluice.schemas.JsonPointers.escape;

import dev.sluice.schemas.JsonPointers;
import dev.sluice.schemas.SchemaDocument;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * The schema positions of one document (every place a subschema sits, by canonical pointer) and the applicator edges
 * between them: which keyword applies which subschema, to the same value or to a part of it. {@code $ref}s that resolve
 * in the document (by pointer, {@code #name} or an {@code $id}'s URI) are edges too; as in draft-07, a schema with a
 * {@code $ref} applies nothing else.
 *
 * <p>One iterative walk (no recursion, whatever the depth), each position once. Definitions are positions (a
 * {@code $ref} may name them, and a mark in them must still be found) but no edge leads into them except a
 * {@code $ref}.
 */
final class SchemaPositions {
  /** Applicators whose value is one schema. */
  static final List<String> SINGLE = List.of(
      "not", "if", "then", "else", "additionalProperties", "additionalItems", "contains", "propertyNames");
  /** Applicators whose value is an array of schemas. */
  static final List<String> ARRAYS = List.of("allOf", "anyOf", "oneOf");
  /** Applicators whose value is a map of schemas. */
  static final List<String> MAPS = List.of("properties", "patternProperties", "dependencies");
  /** Maps of schemas that apply to nothing until a {@code $ref} names one. */
  static final List<String> CONTAINERS = List.of("definitions", "$defs");

  /**
   * An edge: {@code keyword} applies the subschema at {@code target}; {@code name} is the property name, pattern or
   * item index for map and array applicators, else empty.
   */
  record Edge(String keyword, String name, String target) {}

  private final SchemaDocument document;
  private final Map<String, Object> positions = new LinkedHashMap<>();
  private final Map<String, List<Edge>> edges = new HashMap<>();
  /** The pointer of each schema holding a resolvable local {@code $ref}, to its target's pointer. */
  private final Map<String, String> refs = new LinkedHashMap<>();
  private final Set<String> marked = new TreeSet<>();
  private final Set<String> reachingMarks = new java.util.HashSet<>();

  SchemaPositions(JSONObject root) {
    this.document = new SchemaDocument(root);
    walk();
    findReaching();
  }

  JSONObject root() {
    return document.json();
  }

  /** The schema at {@code pointer} (a {@link JSONObject} or a {@link Boolean}); null if it is not a position. */
  Object at(String pointer) {
    return positions.get(pointer);
  }

  /** Whether the schema at {@code pointer} says {@code "x-sensitive": true}. */
  boolean marked(String pointer) {
    return marked.contains(pointer);
  }

  /** Every marked position, in pointer order. */
  Set<String> markedPositions() {
    return Collections.unmodifiableSet(marked);
  }

  List<Edge> edges(String pointer) {
    return edges.getOrDefault(pointer, List.of());
  }

  /** Every resolvable local {@code $ref}: the holder's pointer to the target's. */
  Map<String, String> refs() {
    return Collections.unmodifiableMap(refs);
  }

  /** Whether some path of edges (any keyword) leads from {@code pointer} to a marked position. */
  boolean reachesMark(String pointer) {
    return reachingMarks.contains(pointer);
  }

  private void walk() {
    Deque<Map.Entry<String, Object>> pending = new ArrayDeque<>();
    pending.push(Map.entry("", document.json()));
    while (!pending.isEmpty()) {
      Map.Entry<String, Object> next = pending.pop();
      String pointer = next.getKey();
      if (positions.containsKey(pointer)) {
        continue;
      }
      positions.put(pointer, next.getValue());
      if (!(next.getValue() instanceof JSONObject o)) {
        continue;
      }
      if (Boolean.TRUE.equals(o.opt(SensitiveMarks.SENSITIVE))) {
        marked.add(pointer);
      }
      List<Edge> out = new ArrayList<>();
      // draft-07 (and everit) ignore the siblings of $ref: they are walked as positions, but apply nothing.
      boolean applies = !o.has("$ref");
      if (o.opt("$ref") instanceof String ref) {
        Optional<String> target = document.resolve(ref, pointer);
        Object value = target.map(t -> JsonPointers.valueAt(document.json(), t)).orElse(null);
        if (value instanceof JSONObject || value instanceof Boolean) {
          refs.put(pointer, target.get());
          out.add(new Edge("$ref", "", target.get()));
          pending.push(Map.entry(target.get(), value));
        }
      }
      for (String key : new TreeSet<>(o.keySet())) {
        for (Found f : subschemas(key, o.get(key), pointer + "/" + escape(key))) {
          pending.push(Map.entry(f.edge().target(), f.value()));
          if (applies && !CONTAINERS.contains(key)) {
            out.add(f.edge());
          }
        }
      }
      edges.put(pointer, List.copyOf(out));
    }
  }

  /** A subschema found under a keyword, and the edge to it. */
  private record Found(Edge edge, Object value) {}

  /** The subschemas that {@code keyword}'s {@code value} holds, at {@code at} and below. */
  private static List<Found> subschemas(String keyword, Object value, String at) {
    List<Found> found = new ArrayList<>();
    if (SINGLE.contains(keyword) || (keyword.equals("items") && !(value instanceof JSONArray))) {
      add(found, new Edge(keyword, "", at), value);
    } else if ((ARRAYS.contains(keyword) || keyword.equals("items")) && value instanceof JSONArray a) {
      for (int i = 0; i < a.length(); i++) {
        add(found, new Edge(keyword, Integer.toString(i), at + "/" + i), a.get(i));
      }
    } else if ((MAPS.contains(keyword) || CONTAINERS.contains(keyword)) && value instanceof JSONObject map) {
      for (String name : new TreeSet<>(map.keySet())) {
        // dependencies also allows arrays of property names, which are not schemas.
        add(found, new Edge(keyword, name, at + "/" + escape(name)), map.get(name));
      }
    }
    return found;
  }

  private static void add(List<Found> found, Edge edge, Object value) {
    if (value instanceof JSONObject || value instanceof Boolean) {
      found.add(new Found(edge, value));
    }
  }

  /** Breadth-first from every mark against the edges. */
  private void findReaching() {
    Map<String, List<String>> into = new HashMap<>();
    for (Map.Entry<String, List<Edge>> e : edges.entrySet()) {
      for (Edge edge : e.getValue()) {
        into.computeIfAbsent(edge.target(), k -> new ArrayList<>()).add(e.getKey());
      }
    }
    Deque<String> pending = new ArrayDeque<>(marked);
    reachingMarks.addAll(marked);
    while (!pending.isEmpty()) {
      for (String from : into.getOrDefault(pending.pop(), List.of())) {
        if (reachingMarks.add(from)) {
          pending.push(from);
        }
      }
    }
  }
}
