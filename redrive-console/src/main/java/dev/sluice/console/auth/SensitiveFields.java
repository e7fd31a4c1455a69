package dev.sluice.console.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Masks the values a JSON Schema marks {@code "x-sensitive": true}, at any depth. Pure: no I/O, inputs never changed.
 *
 * <p>The walk follows the data and, for each value, every subschema that can apply to it: {@code properties},
 * {@code patternProperties}, {@code additionalProperties}, {@code items} (single or tuple) and
 * {@code additionalItems}, local {@code $ref}s, and all branches of {@code allOf}/{@code anyOf}/{@code oneOf} and
 * {@code if}/{@code then}/{@code else}. Branches are applied whether or not they match: masking too much is the safe
 * side. A masked value becomes the string {@value #MASK}, whatever it was (an object is masked whole).
 */
public final class SensitiveFields {
  public static final String MASK = "••••••";
  public static final String KEYWORD = "x-sensitive";
  /** Guards against deep or (refused by the registry, but still) cyclic {@code $ref} chains. */
  private static final int MAX_DEPTH = 64;

  private SensitiveFields() {}

  /** Whether the schema marks anything sensitive (so that unmarked types cost nothing). */
  public static boolean marksAnything(Object schema) {
    if (schema instanceof JsonObject o) {
      if (Boolean.TRUE.equals(o.getValue(KEYWORD))) {
        return true;
      }
      for (Map.Entry<String, Object> e : o) {
        if (marksAnything(e.getValue())) {
          return true;
        }
      }
    } else if (schema instanceof JsonArray a) {
      for (Object v : a) {
        if (marksAnything(v)) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code value} (a parsed JSON value: JsonObject, JsonArray, String, Number, Boolean or null) with marks masked. */
  public static Object mask(JsonObject schema, Object value) {
    return mask(schema, schema, value, 0);
  }

  /**
   * Whether the value at {@code pointer} (into data already {@link #mask masked}) is masked or lies under a masked
   * value. A pointer to a value that is not there is not sensitive (nothing can leak from it).
   */
  public static boolean isMaskedAt(Object masked, String pointer) {
    if (pointer == null || pointer.isEmpty()) {
      return MASK.equals(masked);
    }
    Object at = masked;
    for (String token : pointer.substring(1).split("/", -1)) {
      if (MASK.equals(at)) {
        return true;
      }
      String t = token.replace("~1", "/").replace("~0", "~");
      if (at instanceof JsonObject o) {
        at = o.getValue(t);
      } else if (at instanceof JsonArray a) {
        try {
          int i = Integer.parseInt(t);
          at = i >= 0 && i < a.size() ? a.getValue(i) : null;
        } catch (NumberFormatException e) {
          return false;
        }
      } else {
        return false;
      }
    }
    return MASK.equals(at);
  }

  private static Object mask(JsonObject root, Object schemaNode, Object value, int depth) {
    if (!(schemaNode instanceof JsonObject s) || depth > MAX_DEPTH || MASK.equals(value)) {
      return value;
    }
    if (Boolean.TRUE.equals(s.getValue(KEYWORD))) {
      return MASK;
    }
    Object out = value;
    if (s.getValue("$ref") instanceof String ref) {
      Object target = resolve(root, ref);
      if (target != null) {
        out = mask(root, target, out, depth + 1);
      }
    }
    for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
      if (s.getValue(combinator) instanceof JsonArray branches) {
        for (Object branch : branches) {
          out = mask(root, branch, out, depth + 1);
        }
      }
    }
    for (String conditional : List.of("if", "then", "else")) {
      out = mask(root, s.getValue(conditional), out, depth + 1);
    }
    if (MASK.equals(out)) {
      return out;
    }
    if (out instanceof JsonObject object) {
      return maskMembers(root, s, object, depth);
    }
    if (out instanceof JsonArray array) {
      return maskElements(root, s, array, depth);
    }
    return out;
  }

  private static JsonObject maskMembers(JsonObject root, JsonObject s, JsonObject object, int depth) {
    JsonObject properties = s.getValue("properties") instanceof JsonObject p ? p : new JsonObject();
    JsonObject patterns = s.getValue("patternProperties") instanceof JsonObject p ? p : new JsonObject();
    Object additional = s.getValue("additionalProperties");
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> member : object) {
      String name = member.getKey();
      List<Object> applicable = new ArrayList<>();
      if (properties.containsKey(name)) {
        applicable.add(properties.getValue(name));
      }
      for (Map.Entry<String, Object> p : patterns) {
        if (matches(p.getKey(), name)) {
          applicable.add(p.getValue());
        }
      }
      if (applicable.isEmpty() && additional != null) {
        applicable.add(additional);
      }
      Object v = member.getValue();
      for (Object sub : applicable) {
        v = mask(root, sub, v, depth + 1);
      }
      out.put(name, v);
    }
    return out;
  }

  private static JsonArray maskElements(JsonObject root, JsonObject s, JsonArray array, int depth) {
    Object items = s.getValue("items");
    Object additional = s.getValue("additionalItems");
    JsonArray out = new JsonArray();
    for (int i = 0; i < array.size(); i++) {
      Object sub = items instanceof JsonArray tuple ? (i < tuple.size() ? tuple.getValue(i) : additional) : items;
      out.add(mask(root, sub, array.getValue(i), depth + 1));
    }
    return out;
  }

  /** A local {@code $ref} ({@code #}, {@code #/definitions/x}); remote refs are refused at registration. */
  private static Object resolve(JsonObject root, String ref) {
    if (!ref.startsWith("#")) {
      return null;
    }
    Object at = root;
    String pointer = URLDecoder.decode(ref.substring(1), StandardCharsets.UTF_8);
    if (pointer.isEmpty()) {
      return root;
    }
    if (!pointer.startsWith("/")) {
      return null;
    }
    for (String token : pointer.substring(1).split("/", -1)) {
      String t = token.replace("~1", "/").replace("~0", "~");
      if (at instanceof JsonObject o) {
        at = o.getValue(t);
      } else if (at instanceof JsonArray a) {
        try {
          at = a.getValue(Integer.parseInt(t));
        } catch (RuntimeException e) {
          return null;
        }
      } else {
        return null;
      }
    }
    return at;
  }

  private static boolean matches(String regex, String name) {
    try {
      return Pattern.compile(regex).matcher(name).find();
    } catch (PatternSyntaxException e) {
      // An ECMA-262 pattern Java cannot read: assume it applies (mask rather than leak).
      return true;
    }
  }
}
