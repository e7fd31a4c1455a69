package dev.sluice.schemas.marks;

import static dev.sluice.schemas.JsonPointers.escape;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * The places of the data as the schema sees them: each {@link Node} is the set of subschemas that apply to one value
 * (closed over {@code $ref}, {@code allOf}, {@code anyOf}, {@code oneOf}, {@code not}, {@code if}/{@code then}/
 * {@code else} and schema {@code dependencies}), and leads to the nodes of its members and items. Nodes are shared by
 * their set of subschemas, so a recursive schema gives a finite graph.
 *
 * <p>Only nodes that may lead to a mark are expanded, and at most {@value #MAX_NODES} of them: past that the schema
 * is {@link #tooComplex()}. The nodes on the data subject's way are expanded too, so its declaration can be checked. A node is <em>relevant</em> when it is marked or leads to a marked node. A marked
 * subschema is opaque: what it applies in turn belongs to the marked value, so nothing is followed through it.
 *
 * <p>Built once per schema version, then only read (the nodes' fields are set while building and never after).
 */
final class InstanceGraph {
  /** Most nodes expanded for one schema; a real schema has about as many nodes as it has subschemas. */
  static final int MAX_NODES = 10_000;
  /** Applicators whose subschemas apply to the same value. */
  private static final Set<String> IN_PLACE =
      Set.of("$ref", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependencies");

  /** The subschemas that apply to one value, and the nodes of its parts once expanded. */
  static final class Node {
    /** Canonical pointers of the object subschemas that apply, sorted ({@code true}/{@code false} are left out). */
    final List<String> schemas;
    /** The first marked subschema among {@link #schemas}; null when the value is not marked. */
    final String mark;
    final boolean mayReachMark;
    /** Children by declared member name (from some {@code properties}); filled when expanded. */
    final Map<String, Node> named = new TreeMap<>();
    Node other;
    final List<Node> tuple = new ArrayList<>();
    Node rest;
    boolean expanded;
    boolean relevant;

    Node(List<String> schemas, String mark, boolean mayReachMark) {
      this.schemas = schemas;
      this.mark = mark;
      this.mayReachMark = mayReachMark;
    }

    boolean marked() {
      return mark != null;
    }

    /** The node of member {@code name} when it is relevant, else null. */
    Node member(String name) {
      return relevantOrNull(memberAny(name));
    }

    /** The node of item {@code index} when it is relevant, else null. */
    Node item(int index) {
      return relevantOrNull(itemAny(index));
    }

    /** The node of member {@code name}, relevant or not; null when this node was not expanded. */
    Node memberAny(String name) {
      if (!expanded) {
        return null;
      }
      Node n = named.get(name);
      return n != null || named.containsKey(name) ? n : other;
    }

    Node itemAny(int index) {
      if (!expanded) {
        return null;
      }
      return index < tuple.size() ? tuple.get(index) : rest;
    }

    /** Every child, in a fixed order: named members, other members, tuple items, other items. */
    List<Node> children() {
      List<Node> out = new ArrayList<>(named.values());
      out.add(other);
      out.addAll(tuple);
      out.add(rest);
      return out;
    }

    private static Node relevantOrNull(Node n) {
      return n != null && n.relevant ? n : null;
    }
  }

  private final SchemaPositions positions;
  private final MemberPatterns patterns;
  private final Map<List<String>, Node> nodes = new LinkedHashMap<>();
  private final Map<Node, List<Node>> parents = new HashMap<>();
  private final Node root;
  private boolean tooComplex;

  /** The graph of {@code positions}; {@code subject} is the data subject's way from the root (member names). */
  InstanceGraph(SchemaPositions positions, MemberPatterns patterns, List<String> subject) {
    this.positions = positions;
    this.patterns = patterns;
    this.root = node(List.of(""));
    expandAll();
    findRelevant();
    Node node = root;
    for (String name : subject) {
      if (node == null || node.marked()) {
        break;
      }
      if (!node.expanded) {
        fill(node);
      }
      node = node.memberAny(name);
    }
  }

  Node root() {
    return root;
  }

  SchemaPositions positions() {
    return positions;
  }

  /** Whether more than {@value #MAX_NODES} nodes would be needed; the graph is then incomplete. */
  boolean tooComplex() {
    return tooComplex;
  }

  /** Every node built, in the order found (breadth-first from the root). */
  Iterable<Node> nodes() {
    return Collections.unmodifiableCollection(nodes.values());
  }

  /** The object subschema at {@code pointer}. */
  JSONObject schema(String pointer) {
    return (JSONObject) positions.at(pointer);
  }

  private void expandAll() {
    Deque<Node> pending = new ArrayDeque<>();
    pending.add(root);
    while (!pending.isEmpty()) {
      Node n = pending.removeFirst();
      if (n.expanded || n.marked() || !n.mayReachMark) {
        continue;
      }
      if (nodes.size() > MAX_NODES) {
        tooComplex = true;
        return;
      }
      fill(n);
      for (Node child : n.children()) {
        parents.computeIfAbsent(child, k -> new ArrayList<>()).add(n);
        pending.addLast(child);
      }
    }
  }

  private void fill(Node n) {
    Set<String> names = new TreeSet<>();
    int tupleLength = 0;
    for (String s : n.schemas) {
      JSONObject o = schema(s);
      if (o.has("$ref")) {
        continue;
      }
      if (o.opt("properties") instanceof JSONObject props) {
        names.addAll(props.keySet());
      }
      if (o.opt("items") instanceof JSONArray tuple) {
        tupleLength = Math.max(tupleLength, tuple.length());
      }
    }
    for (String name : names) {
      n.named.put(name, node(memberSchemas(n, name)));
    }
    n.other = node(memberSchemas(n, null));
    for (int i = 0; i < tupleLength; i++) {
      n.tuple.add(node(itemSchemas(n, i)));
    }
    n.rest = node(itemSchemas(n, -1));
    n.expanded = true;
  }

  /**
   * The subschemas applying to member {@code name} of a value of {@code n}; for {@code name} null, to a member no
   * {@code properties} declares: then every pattern may match and {@code additionalProperties} may apply.
   */
  private List<String> memberSchemas(Node n, String name) {
    List<String> out = new ArrayList<>();
    for (String s : n.schemas) {
      JSONObject o = schema(s);
      if (o.has("$ref")) {
        continue;
      }
      boolean declared = name != null && o.opt("properties") instanceof JSONObject props && props.has(name);
      if (declared) {
        out.add(s + "/properties/" + escape(name));
      }
      boolean matched = false;
      if (o.opt("patternProperties") instanceof JSONObject map) {
        for (String pattern : new TreeSet<>(map.keySet())) {
          if (name == null || patterns.mayMatch(pattern, name)) {
            out.add(s + "/patternProperties/" + escape(pattern));
            matched = true;
          }
        }
      }
      if (!declared && (name == null || !matched) && o.has("additionalProperties")) {
        out.add(s + "/additionalProperties");
      }
    }
    return out;
  }

  /** The subschemas applying to item {@code index} of a value of {@code n}; -1 for items past every tuple. */
  private List<String> itemSchemas(Node n, int index) {
    List<String> out = new ArrayList<>();
    for (String s : n.schemas) {
      JSONObject o = schema(s);
      if (o.has("$ref")) {
        continue;
      }
      Object items = o.opt("items");
      if (items instanceof JSONArray tuple) {
        if (index >= 0 && index < tuple.length()) {
          out.add(s + "/items/" + index);
        } else if (o.has("additionalItems")) {
          out.add(s + "/additionalItems");
        }
      } else if (items != null) {
        out.add(s + "/items");
      }
      if (o.has("contains")) {
        out.add(s + "/contains");
      }
    }
    return out;
  }

  /** The shared node of the subschemas that {@code seeds} apply to one value (closed over in-place applicators). */
  private Node node(List<String> seeds) {
    Set<String> closed = new TreeSet<>();
    Deque<String> pending = new ArrayDeque<>(seeds);
    while (!pending.isEmpty()) {
      String p = pending.pop();
      if (!(positions.at(p) instanceof JSONObject) || !closed.add(p) || positions.marked(p)) {
        continue;
      }
      for (SchemaPositions.Edge e : positions.edges(p)) {
        if (IN_PLACE.contains(e.keyword())) {
          pending.push(e.target());
        }
      }
    }
    List<String> key = List.copyOf(closed);
    Node existing = nodes.get(key);
    if (existing != null) {
      return existing;
    }
    String mark = null;
    boolean mayReach = false;
    for (String s : key) {
      if (mark == null && positions.marked(s)) {
        mark = s;
      }
      mayReach |= positions.reachesMark(s);
    }
    Node created = new Node(key, mark, mayReach);
    nodes.put(key, created);
    return created;
  }

  /** A node is relevant when it is marked or some child is relevant: breadth-first up from the marked nodes. */
  private void findRelevant() {
    Deque<Node> pending = new ArrayDeque<>();
    for (Node n : nodes.values()) {
      if (n.marked()) {
        n.relevant = true;
        pending.add(n);
      }
    }
    while (!pending.isEmpty()) {
      for (Node parent : parents.getOrDefault(pending.removeFirst(), List.of())) {
        if (!parent.relevant) {
          parent.relevant = true;
          pending.add(parent);
        }
      }
    }
  }
}
