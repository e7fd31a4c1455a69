package dev.sluice.schemas.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeSet;
import org.json.JSONArray;
import org.json.JSONObject;
import org.json.JSONTokener;

/**
 * The identity of a schema document regardless of whitespace and member order: SHA-256 (hex) of its canonical form
 * (members sorted by name, no insignificant whitespace). Two posts of the same schema map to the same version.
 */
public final class SchemaFingerprint {
  private SchemaFingerprint() {}

  public static String of(String schemaJson) {
    Object value = new JSONTokener(schemaJson).nextValue();
    StringBuilder sb = new StringBuilder();
    canonical(value, sb);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The canonical text: sorted members, compact. */
  public static String canonicalText(String schemaJson) {
    StringBuilder sb = new StringBuilder();
    canonical(new JSONTokener(schemaJson).nextValue(), sb);
    return sb.toString();
  }

  private static void canonical(Object v, StringBuilder sb) {
    if (v instanceof JSONObject o) {
      sb.append('{');
      boolean first = true;
      for (String k : new TreeSet<>(o.keySet())) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        sb.append(JSONObject.quote(k)).append(':');
        canonical(o.get(k), sb);
      }
      sb.append('}');
    } else if (v instanceof JSONArray a) {
      sb.append('[');
      for (int i = 0; i < a.length(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        canonical(a.get(i), sb);
      }
      sb.append(']');
    } else if (v instanceof String s) {
      sb.append(JSONObject.quote(s));
    } else if (v == JSONObject.NULL) {
      sb.append("null");
    } else {
      sb.append(JSONObject.valueToString(v));
    }
  }
}
