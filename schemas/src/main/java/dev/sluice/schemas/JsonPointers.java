package dev.sluice.schemas;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * RFC 6901 JSON pointers into a parsed org.json document, as Sluice writes and follows them: the registry's compiler
 * checks local {@code $ref}s with these and the compatibility checker follows them with the same, so a reference
 * means one thing to both.
 *
 * <p>A <em>canonical</em> pointer is one {@link #resolve} returned: decoded, each token escaped, and known to point at
 * a value of the document it was resolved in.
 */
public final class JsonPointers {
  /** An array index token: no leading zero, and small enough for an int. */
  private static final String INDEX = "0|[1-9][0-9]{0,8}";

  private JsonPointers() {}

  /** A member name as a reference token: {@code ~} becomes {@code ~0}, {@code /} becomes {@code ~1}. */
  public static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  /** The member name or index a reference token stands for: {@link #escape} undone. */
  public static String unescape(String token) {
    return token.replace("~1", "/").replace("~0", "~");
  }

  /**
   * The member names or indexes an RFC 6901 pointer (not a URI fragment) is made of, unescaped: none for {@code ""}.
   * Empty when the text is not a pointer: it does not start with {@code /}, or a {@code ~} is not followed by 0 or 1.
   */
  public static Optional<List<String>> tokens(String pointer) {
    if (pointer.isEmpty()) {
      return Optional.of(List.of());
    }
    if (!pointer.startsWith("/")) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    for (String raw : pointer.substring(1).split("/", -1)) {
      if (raw.matches("(?s).*~([^01]|$).*")) {
        return Optional.empty();
      }
      out.add(unescape(raw));
    }
    return Optional.of(List.copyOf(out));
  }

  /**
   * The canonical pointer of what {@code fragment} (a URI fragment such as {@code /definitions/a%20b}, without its
   * {@code #}) points at in {@code root}. The fragment is percent-decoded as in a URI ({@code +} stays a plus). Empty
   * when it does not decode, or some token names no member or no index of the value it is applied to.
   */
  public static Optional<String> resolve(Object root, String fragment) {
    String decoded;
    try {
      decoded = URLDecoder.decode(fragment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (decoded.isEmpty()) {
      return Optional.of("");
    }
    Object node = root;
    StringBuilder canonical = new StringBuilder();
    for (String token : decoded.substring(1).split("/", -1)) {
      String name = unescape(token);
      if (node instanceof JSONObject o && o.has(name)) {
        node = o.get(name);
      } else if (node instanceof JSONArray a && name.matches(INDEX) && Integer.parseInt(name) < a.length()) {
        node = a.get(Integer.parseInt(name));
      } else {
        return Optional.empty();
      }
      canonical.append('/').append(escape(name));
    }
    return Optional.of(canonical.toString());
  }

  /**
   * A canonical pointer as a URI fragment (without its {@code #}): every byte of its UTF-8 form but letters, digits and
   * {@code -._~/} percent-encoded, so that {@link #resolve} (and the validator, which decodes the same way) read it
   * back as the same pointer whatever the member names hold ({@code +}, {@code %}, {@code #}, spaces).
   */
  public static String toFragment(String canonical) {
    StringBuilder out = new StringBuilder();
    for (byte b : canonical.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** The value a canonical pointer of {@code root} points at. */
  public static Object valueAt(Object root, String canonical) {
    Object node = root;
    if (canonical.isEmpty()) {
      return node;
    }
    for (String token : canonical.substring(1).split("/", -1)) {
      String name = unescape(token);
      node = node instanceof JSONObject o ? o.get(name) : ((JSONArray) node).get(Integer.parseInt(name));
    }
    return node;
  }
}
