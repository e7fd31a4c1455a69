package dev.sluice.schemas;

import static dev.sluice.schemas.JsonPointers.escape;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * The base URIs of one schema document and the subschemas its {@code $id}s name, by draft-07's rules, so that a
 * {@code $ref} is resolved the way the specification means without anything being fetched.
 *
 * <p>The root's base URI is its {@code $id} when it has one (a relative one, like every base, is resolved against a
 * stand-in for "this document"); each subschema whose {@code $id} is a URI ({@code "node"}, {@code "sub/x.json"},
 * {@code "http://example.com/tree"}, {@code "urn:uuid:…"}) is a schema of its own at the resolved URI, and the base of
 * everything under it. An {@code $id} of a plain-name fragment ({@code "#foo"}, or {@code "http://example.com/a#foo"})
 * names the subschema for {@code $ref}s to {@code #foo} against the same base. A {@code $ref} resolves against the base
 * of the schema that holds it; it is local when the resolved URI, without its fragment, is one of the document's own
 * schemas: the fragment is then a JSON pointer into that schema or a plain name declared against it. Anything else
 * could only be fetched.
 *
 * <p>As in draft-07, an {@code $id} next to a {@code $ref} is ignored (the {@code $ref} replaces the whole schema), and
 * only schema positions count: an {@code $id} inside {@code enum}, {@code const}, {@code default}, {@code examples} or a
 * keyword draft-07 does not define names nothing. {@code id} without the {@code $} is draft-04 and names nothing either.
 * A URI claimed by two subschemas names neither: a {@code $ref} to it does not resolve.
 */
public final class Identifiers {
  /**
   * The base of a root without an {@code $id}: it stands for "this document". Hierarchical, so that relative ids
   * resolve against it; no relative reference leaves its authority, and one that resolves to it ({@code "."}) does
   * mean this document.
   */
  static final URI DOCUMENT = URI.create("sluice://document/");

  private static final Set<String> SINGLE = Set.of(
      "not", "if", "then", "else", "additionalProperties", "additionalItems", "contains", "propertyNames", "items");
  private static final Set<String> ARRAYS = Set.of("allOf", "anyOf", "oneOf", "items");
  private static final Set<String> MAPS = Set.of(
      "properties", "patternProperties", "dependencies", "definitions", "$defs");

  private final JSONObject root;
  /** The base URI of each schema position, by canonical pointer. */
  private final Map<String, URI> bases = new HashMap<>();
  /** Each schema's URI (no fragment) to the pointers that claim it; more than one is an ambiguity. */
  private final Map<String, List<String>> schemas = new HashMap<>();
  /** Each plain-name URI ({@code base#name}) to the pointers that claim it. */
  private final Map<String, List<String>> anchors = new HashMap<>();
  /** The {@code $id}s in effect (not ignored), by the pointer of the schema holding them. */
  private final Map<String, String> ids = new HashMap<>();
  private final List<BadId> badIds = new ArrayList<>();

  /** Where a reference leads. */
  public sealed interface Target {}

  /** To the schema at this canonical pointer of the document. */
  public record Local(String pointer) implements Target {}

  /** Outside the document: only a fetch of {@code uri} (the resolved URI, fragment dropped) could resolve it. */
  public record Remote(String uri) implements Target {}

  /** Into the document, to nothing; {@code reason} says why, for a person. */
  public record Missing(String reason) implements Target {}

  /** An {@code $id} that is not a URI reference, at {@code pointer} (the {@code $id} member itself). */
  public record BadId(String pointer, String id) {}

  Identifiers(JSONObject root) {
    this.root = root;
    walk();
  }

  /** The {@code $id}s that are not URI references; they name nothing. */
  public List<BadId> badIds() {
    return List.copyOf(badIds);
  }

  /** Every schema position whose {@code $id} is in effect, by pointer, with that {@code $id} as written. */
  public Map<String, String> ids() {
    return Map.copyOf(ids);
  }

  /**
   * Where {@code ref} leads when the schema at {@code holder} (a canonical pointer) holds it. A holder that is not a
   * schema position (inside a keyword draft-07 does not define) resolves against its nearest enclosing schema's base.
   */
  public Target resolve(String ref, String holder) {
    URI base = baseAt(holder);
    String document;
    String fragment;
    if (ref.startsWith("#")) {
      // Kept as written (not parsed as a URI), so that "#/definitions/a b" means what it always has.
      document = withoutFragment(base);
      fragment = ref.substring(1);
    } else {
      URI resolved;
      try {
        resolved = resolve(base, new URI(ref));
      } catch (URISyntaxException e) {
        return new Missing("$ref `" + ref + "` is not a URI reference");
      }
      document = withoutFragment(resolved);
      fragment = resolved.getRawFragment() == null ? "" : resolved.getRawFragment();
    }
    List<String> claimed = schemas.get(document);
    if (claimed == null) {
      return new Remote(document);
    }
    if (claimed.size() > 1) {
      return new Missing(ambiguous(ref, claimed));
    }
    String schema = claimed.get(0);
    if (fragment.isEmpty()) {
      return new Local(schema);
    }
    if (fragment.startsWith("/")) {
      Optional<String> inside = JsonPointers.resolve(JsonPointers.valueAt(root, schema), fragment);
      return inside.<Target>map(p -> new Local(schema + p)).orElseGet(() -> new Missing("$ref `" + ref
          + "` points at nothing in " + (schema.isEmpty() ? "this document"
              : "the subschema at #" + schema + ", whose $id `" + ids.get(schema) + "` it resolves against")));
    }
    List<String> named = anchors.get(document + "#" + fragment);
    if (named == null) {
      return new Missing("$ref `" + ref + "` names no schema with that $id in this document");
    }
    return named.size() > 1 ? new Missing(ambiguous(ref, named)) : new Local(named.get(0));
  }

  private static String ambiguous(String ref, List<String> claimed) {
    return "$ref `" + ref + "` names a URI that more than one subschema claims with its $id ("
        + String.join(", ", claimed.stream().sorted().map(p -> "#" + p).toList()) + ")";
  }

  /** The base of the nearest schema position at or above {@code pointer}. */
  private URI baseAt(String pointer) {
    String p = pointer;
    while (!bases.containsKey(p) && !p.isEmpty()) {
      p = p.substring(0, p.lastIndexOf('/'));
    }
    return bases.getOrDefault(p, DOCUMENT);
  }

  /** A schema position still to visit, and the base its ancestors' {@code $id}s give it. */
  private record Pending(String pointer, Object schema, URI base) {}

  /** Every schema position from the root, each once (a tree), iteratively: no depth can overflow the stack. */
  private void walk() {
    Deque<Pending> pending = new ArrayDeque<>();
    pending.push(new Pending("", root, DOCUMENT));
    claim(schemas, withoutFragment(DOCUMENT), "");
    while (!pending.isEmpty()) {
      Pending next = pending.pop();
      if (!(next.schema() instanceof JSONObject o)) {
        continue;
      }
      String pointer = next.pointer();
      URI base = next.base();
      // draft-07: a $ref replaces its whole schema, so an $id beside it changes nothing.
      if (!o.has("$ref") && o.opt("$id") instanceof String id) {
        base = identify(id, pointer, base);
      }
      bases.put(pointer, base);
      for (String key : new TreeSet<>(o.keySet())) {
        Object value = o.get(key);
        String at = pointer + "/" + escape(key);
        if (MAPS.contains(key) && value instanceof JSONObject map) {
          for (String name : new TreeSet<>(map.keySet())) {
            pending.push(new Pending(at + "/" + escape(name), map.get(name), base));
          }
        } else if (ARRAYS.contains(key) && value instanceof JSONArray a) {
          for (int i = 0; i < a.length(); i++) {
            pending.push(new Pending(at + "/" + i, a.get(i), base));
          }
        } else if (SINGLE.contains(key)) {
          pending.push(new Pending(at, value, base));
        }
      }
    }
  }

  /**
   * Registers what the {@code $id} of the schema at {@code pointer} names, and returns the base for that schema and
   * everything under it. A URI (with or without a plain-name fragment) makes the schema one of its own at that URI;
   * a plain-name fragment alone names it against the enclosing base, which stays.
   */
  private URI identify(String id, String pointer, URI base) {
    if (id.startsWith("#")) {
      String name = id.substring(1);
      if (!name.isEmpty() && !name.startsWith("/")) {
        ids.put(pointer, id);
        claim(anchors, withoutFragment(base) + id, pointer);
      }
      return base;
    }
    URI resolved;
    try {
      resolved = resolve(base, new URI(id));
    } catch (URISyntaxException e) {
      badIds.add(new BadId(pointer + "/$id", id));
      return base;
    }
    ids.put(pointer, id);
    String document = withoutFragment(resolved);
    claim(schemas, document, pointer);
    String fragment = resolved.getRawFragment();
    if (fragment != null && !fragment.isEmpty() && !fragment.startsWith("/")) {
      claim(anchors, document + "#" + fragment, pointer);
    }
    return URI.create(document);
  }

  private static void claim(Map<String, List<String>> names, String uri, String pointer) {
    List<String> claimed = names.computeIfAbsent(uri, k -> new ArrayList<>());
    if (!claimed.contains(pointer)) {
      claimed.add(pointer);
    }
  }

  /**
   * RFC 3986 resolution, with two of {@link URI#resolve}'s gaps closed: a base with an authority and an empty path
   * ({@code http://example.com}) has the path {@code /}, and against an opaque base ({@code urn:…}) only an absolute
   * reference or a fragment resolves (a relative path keeps its own text, which names nothing here).
   */
  private static URI resolve(URI base, URI ref) {
    if (ref.isAbsolute()) {
      return ref.normalize();
    }
    if (base.isOpaque()) {
      if (ref.getRawSchemeSpecificPart().isEmpty() && ref.getRawFragment() != null) {
        return URI.create(withoutFragment(base) + "#" + ref.getRawFragment());
      }
      return ref;
    }
    URI b = base;
    if (b.getRawAuthority() != null && b.getRawPath() != null && b.getRawPath().isEmpty()) {
      b = URI.create(withoutFragment(b) + "/");
    }
    return b.resolve(ref).normalize();
  }

  /** The URI's text without its fragment. */
  private static String withoutFragment(URI uri) {
    String text = uri.toString();
    int hash = text.indexOf('#');
    return hash < 0 ? text : text.substring(0, hash);
  }
}
