package dev.sluice.schemas.marks;

import static dev.sluice.schemas.JsonPointers.escape;

import java.util.HashSet;
import java.util.Set;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * The schema that sealed data is validated with: the document with every subschema that says
 * {@code "x-sensitive": true} replaced by {@code true}, so a marked value may be anything (a ciphertext, a placeholder)
 * while every other part of the data is checked exactly as before. The registry compiles it once per version.
 *
 * <p>Under {@link MarkRules} no unmarked subschema inspects a marked value, so the relaxed schema accepts the sealed
 * form of data exactly when the full schema accepts the data, with the same violations outside the marked values.
 *
 * <p>A marked subschema that names itself with a fragment {@code $id} ({@code "#email"}) keeps that {@code $id} (an
 * object with only an {@code $id} accepts everything too), so {@code $ref}s to it still resolve.
 */
public final class RelaxedSchema {
  private RelaxedSchema() {}

  /**
   * A copy of {@code schema} with the marked subschemas replaced; {@code schema} itself is not changed. A document
   * whose root is marked becomes {@code {}}. The document's nesting must already be bounded (the registry checks it
   * before anything else): the copy recurses once per level.
   */
  public static JSONObject of(JSONObject schema, SensitiveMarks marks) {
    Set<String> marked = new HashSet<>(marks.graph().positions().markedPositions());
    if (marked.isEmpty()) {
      return schema;
    }
    Object copy = copy(schema, "", marked);
    return copy instanceof JSONObject o ? o : new JSONObject();
  }

  private static Object copy(Object value, String pointer, Set<String> marked) {
    if (value instanceof JSONObject o) {
      if (marked.contains(pointer)) {
        return o.opt("$id") instanceof String id && id.startsWith("#") && !id.startsWith("#/")
            ? new JSONObject().put("$id", id)
            : Boolean.TRUE;
      }
      JSONObject out = new JSONObject();
      for (String key : o.keySet()) {
        out.put(key, copy(o.get(key), pointer + "/" + escape(key), marked));
      }
      return out;
    }
    if (value instanceof JSONArray a) {
      JSONArray out = new JSONArray();
      for (int i = 0; i < a.length(); i++) {
        out.put(copy(a.get(i), pointer + "/" + i, marked));
      }
      return out;
    }
    return value;
  }
}
