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
    return follow(node).target();
  }

  /**
   * Where following {@code $ref} from a node ends, as {@link #dereference} does, with the two ways of ending at no
   * schema told apart.
   *
   * @param target the schema the chain ends at; empty when there is none
   * @param dangling when there is none, whether a reference named no schema in this document (or was not a string);
   *     otherwise the references loop. A reader that gives what it cannot resolve the benefit of the doubt needs the
   *     difference: a loop applies nothing to a value, a reference it cannot follow might apply anything.
   */
  public record Followed(Optional<Node> target, boolean dangling) {}

  /** {@link #dereference}, telling a loop from a dangling reference. */
  public Followed follow(Node node) {
    Set<String> seen = new HashSet<>();
    Node current = node;
    while (current.schema() instanceof JSONObject o && o.has("$ref")) {
      if (!seen.add(current.pointer())) {
        return new Followed(Optional.empty(), false);
      }
      Optional<String> target = o.get("$ref") instanceof String ref ? resolve(ref, current.pointer())
          : Optional.empty();
      Object value = target.map(t -> JsonPointers.valueAt(root, t)).orElse(null);
      if (!(value instanceof JSONObject || value instanceof Boolean)) {
        return new Followed(Optional.empty(), true);
      }
      current = new Node(value, target.get());
    }
    return new Followed(Optional.of(current), false);
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
