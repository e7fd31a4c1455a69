package dev.sluice.schemas;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.json.JSONObject;
import org.json.JSONTokener;

/**
 * One parsed schema document and its references, resolved within the document as draft-07 means them
 * ({@link Identifiers}): {@code #}, {@code #/json/pointer} (percent-encoded as in a URI fragment), {@code #name} for a
 * subschema with {@code "$id": "#name"}, and URIs that an {@code $id} of the document gives a subschema (relative
 * ones resolved against the base URI in effect). Nothing else resolves: documents reaching the compatibility checker
 * and the marks passed {@code SchemaCompiler}, which refuses references that would need a fetch.
 */
public final class SchemaDocument {
  private final JSONObject root;
  private Identifiers identifiers;

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
    // As the registry compiled it: numbers in their canonical form (maxItems 2.0 is 2, enum [1.0] lists 1).
    return (JSONObject) JsonNumbers.canonicalized(o);
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
      Optional<String> target = resolve(ref, current.pointer());
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

  /**
   * The canonical pointer of what {@code ref} names when the schema at {@code holder} holds it; empty when it names
   * nothing in this document (or could only be fetched).
   */
  public Optional<String> resolve(String ref, String holder) {
    return identifiers().resolve(ref, holder) instanceof Identifiers.Local local ? Optional.of(local.pointer())
        : Optional.empty();
  }

  /** The document's base URIs and the subschemas its {@code $id}s name. */
  public Identifiers identifiers() {
    if (identifiers == null) {
      identifiers = new Identifiers(root);
    }
    return identifiers;
  }
}
