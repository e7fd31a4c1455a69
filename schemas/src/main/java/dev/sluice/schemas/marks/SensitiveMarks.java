package dev.sluice.schemas.marks;

import static dev.sluice.schemas.JsonPointers.escape;

import dev.sluice.schemas.JsonPointers;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.json.JSONException;
import org.json.JSONObject;
import org.json.JSONTokener;

/**
 * The values one schema marks sensitive, and the data subject they belong to.
 *
 * <p>A subschema marks the value it applies to with {@code "x-sensitive": true}; the root names the data subject with
 * a JSON pointer into the data, {@code "x-data-subject": "/id"}. A marked value is marked whole, whatever it is (a
 * string, a number, an object). {@link MarkRules} says where marks may sit; this class is what the rest of Sluice
 * reads: whether the schema marks anything ({@link #any()}), where ({@link #paths()}), and the subject's pointer.
 *
 * <p>Built once per schema version ({@code SchemaCompiler}), immutable afterwards, safe to share between threads.
 */
public final class SensitiveMarks {
  /** The keyword that marks a value sensitive: {@code "x-sensitive": true}. */
  public static final String SENSITIVE = "x-sensitive";
  /** The root keyword naming the data subject: {@code "x-data-subject": "/id"}. */
  public static final String DATA_SUBJECT = "x-data-subject";
  /** A schema that marks nothing and names no subject. */
  public static final SensitiveMarks NONE = of(new JSONObject(), MemberPatterns.ANY);

  private final InstanceGraph graph;
  private final Optional<String> subject;
  private final List<String> paths;

  private SensitiveMarks(SchemaPositions positions, MemberPatterns patterns) {
    Object declared = positions.root().opt(DATA_SUBJECT);
    this.subject = declared instanceof String s ? Optional.of(s) : Optional.empty();
    this.graph = new InstanceGraph(positions, patterns, subjectTokens().orElse(List.of()));
    this.paths = findPaths(graph.root());
  }

  /**
   * The marks of a parsed schema document. {@code patterns} decides which {@code patternProperties} may apply to a
   * member name. The document is read, never changed, and may be anything JSON: what is not a schema marks nothing.
   */
  public static SensitiveMarks of(JSONObject schema, MemberPatterns patterns) {
    return new SensitiveMarks(new SchemaPositions(schema), patterns);
  }

  /**
   * The marks of a schema's text, every pattern taken to apply to every name (the cautious reading; fine for
   * documents the registry compiled, where no pattern leads to a mark). {@link #NONE} when the text is not one JSON
   * object.
   */
  public static SensitiveMarks of(String schemaJson) {
    try {
      JSONTokener tokener = new JSONTokener(schemaJson);
      return tokener.nextValue() instanceof JSONObject o && tokener.nextClean() == 0 ? of(o, MemberPatterns.ANY) : NONE;
    } catch (JSONException | StackOverflowError e) {
      // Only a document the registry refused can get here (not JSON, or nested past what the parser's stack holds).
      return NONE;
    }
  }

  /** Whether some value of the data may be marked; when not, sensitive handling costs nothing. */
  public boolean any() {
    return graph.root().relevant;
  }

  /** The {@code x-data-subject} pointer as the root declares it, if it declares one as a string. */
  public Optional<String> subject() {
    return subject;
  }

  /**
   * The subject's pointer as member names, when {@link #subject()} is a JSON pointer below the root; else empty
   * ({@link MarkRules} refuses such a schema when it marks anything).
   */
  public Optional<List<String>> subjectTokens() {
    return subject.flatMap(JsonPointers::tokens).filter(t -> !t.isEmpty());
  }

  /**
   * Where marked values may be in the data, as instance pointers in which {@code *} stands for any array item or any
   * member that no {@code properties} declares, sorted; e.g. {@code [/email, /name]} or {@code [/cards/*\/number]}. A
   * recursive schema lists each place once, at its shortest path found.
   */
  public List<String> paths() {
    return paths;
  }

  /**
   * The schema pointer of the mark that covers the value at {@code instancePointer} (the value is marked, or lies
   * inside a marked value); empty when nothing marks it or the pointer is not a JSON pointer. An index token is read
   * as a member name first, then as an item.
   */
  public Optional<String> markCovering(String instancePointer) {
    Optional<List<String>> tokens = JsonPointers.tokens(instancePointer);
    if (tokens.isEmpty()) {
      return Optional.empty();
    }
    InstanceGraph.Node node = graph.root();
    for (String token : tokens.get()) {
      if (node == null || node.marked()) {
        break;
      }
      InstanceGraph.Node member = node.member(token);
      node = member != null || !token.matches("0|[1-9][0-9]{0,8}") ? member : node.item(Integer.parseInt(token));
    }
    return node != null && node.relevant ? Optional.ofNullable(node.mark) : Optional.empty();
  }

  InstanceGraph graph() {
    return graph;
  }

  /**
   * Depth-first from the root through relevant nodes, never entering a node already on the path (so a recursive
   * schema stops where it recurs), at most {@value #MAX_PATH_STEPS} steps.
   */
  private static List<String> findPaths(InstanceGraph.Node root) {
    Set<String> out = new TreeSet<>();
    if (!root.relevant) {
      return List.of();
    }
    Set<InstanceGraph.Node> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<PathFrame> path = new ArrayDeque<>();
    path.push(new PathFrame(root, ""));
    onPath.add(root);
    int steps = 0;
    while (!path.isEmpty() && steps++ < MAX_PATH_STEPS) {
      PathFrame top = path.peek();
      if (top.node.marked()) {
        out.add(top.pointer);
      }
      if (top.node.marked() || !top.next.hasNext()) {
        onPath.remove(path.pop().node);
        continue;
      }
      Map.Entry<InstanceGraph.Node, String> child = top.next.next();
      if (onPath.add(child.getKey())) {
        path.push(new PathFrame(child.getKey(), top.pointer + "/" + child.getValue()));
      }
    }
    return List.copyOf(out);
  }

  /** Most steps of the walk that lists {@link #paths()}. */
  private static final int MAX_PATH_STEPS = 100_000;

  /** A node on the walk's path, its pointer, and its relevant children still to visit with their tokens. */
  private static final class PathFrame {
    final InstanceGraph.Node node;
    final String pointer;
    final Iterator<Map.Entry<InstanceGraph.Node, String>> next;

    PathFrame(InstanceGraph.Node node, String pointer) {
      this.node = node;
      this.pointer = pointer;
      List<Map.Entry<InstanceGraph.Node, String>> children = new ArrayList<>();
      if (!node.marked() && node.expanded) {
        node.named.forEach((name, child) -> children.add(Map.entry(child, escape(name))));
        children.add(Map.entry(node.other, "*"));
        for (int i = 0; i < node.tuple.size(); i++) {
          children.add(Map.entry(node.tuple.get(i), Integer.toString(i)));
        }
        children.add(Map.entry(node.rest, "*"));
        children.removeIf(c -> !c.getKey().relevant);
      }
      this.next = children.iterator();
    }
  }

  @Override
  public String toString() {
    return "SensitiveMarks" + paths + subject.map(s -> " subject " + s).orElse("");
  }
}
