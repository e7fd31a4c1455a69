package dev.sluice.schemas;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.json.JSONArray;
import org.json.JSONObject;
import org.json.JSONTokener;

/**
 * One parsed schema document and its local references: {@code #}, {@code #/json/pointer} (percent-encoded as in a URI
 * fragment) and {@code #name} for a subschema with {@code "$id": "#name"}. Nothing else resolves: documents reaching
 * the compatibility checker and the marks passed {@code SchemaCompiler}, which refuses remote references.
 */
public final class SchemaDocument {
  private final JSONObject root;
  private Map<String, String> anchors;

  public SchemaDocument(String json) {
    this(parse(json));
  }

  /** A document already parsed; it is read, never changed. */
  public SchemaDocument(JSONObject root) {
    this.root = root;
  }

  private static JSONObject parse(String json) {
    Object value = new JSONTokener(json).nextValue();
    if (!(value instanceof JSONObject o)) {
      throw new IllegalArgumentException("a schema document is one JSON object");
    }
    return o;
  }

  /** A schema (a {@link JSONObject} or a {@link Boolean}) and its canonical pointer in this document. */
  public record Node(Object schema, String pointer) {}

  /** The document as parsed. */
  public JSONObject json() {
    return root;
  }

  public Node root() {
    return new Node(root, "");
  }

  /**
   * Follows {@code $ref} until a schema without one; draft-07 ignores the siblings of {@code $ref}, and so does
   * everit. Empty when a reference does not resolve or references loop (both refused at registration).
   */
  public Optional<Node> dereference(Node node) {
    Set<String> seen = new HashSet<>();
    Node current = node;
    while (current.schema() instanceof JSONObject o && o.has("$ref")) {
      if (!(o.get("$ref") instanceof String ref) || !seen.add(current.pointer())) {
        return Optional.empty();
      }
      Optional<String> target = resolve(ref);
      if (target.isEmpty()) {
        return Optional.empty();
      }
      Object value = JsonPointers.valueAt(root, target.get());
      if (!(value instanceof JSONObject || value instanceof Boolean)) {
        return Optional.empty();
      }
      current = new Node(value, target.get());
    }
    return Optional.of(current);
  }

  /** The canonical pointer of what the local reference {@code ref} names; empty when it names nothing. */
  public Optional<String> resolve(String ref) {
    if (ref.equals("#") || ref.startsWith("#/")) {
      return JsonPointers.resolve(root, ref.substring(1));
    }
    if (ref.startsWith("#")) {
      return Optional.ofNullable(anchors().get(ref));
    }
    return Optional.empty();
  }

  private Map<String, String> anchors() {
    if (anchors == null) {
      anchors = new HashMap<>();
      collectAnchors(root, "");
    }
    return anchors;
  }

  private void collectAnchors(Object node, String pointer) {
    if (node instanceof JSONObject o) {
      if (o.opt("$id") instanceof String id && id.startsWith("#") && id.length() > 1 && !id.startsWith("#/")) {
        anchors.putIfAbsent(id, pointer);
      }
      for (String key : o.keySet()) {
        collectAnchors(o.get(key), pointer + "/" + JsonPointers.escape(key));
      }
    } else if (node instanceof JSONArray a) {
      for (int i = 0; i < a.length(); i++) {
        collectAnchors(a.get(i), pointer + "/" + i);
      }
    }
  }

}
