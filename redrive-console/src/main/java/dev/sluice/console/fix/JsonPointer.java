package dev.sluice.console.fix;

import java.util.List;
import java.util.Optional;

/** An RFC 6901 JSON pointer as its unescaped reference tokens ({@code ~1} is '/', {@code ~0} is '~'). */
public record JsonPointer(List<String> tokens) {
  public static final JsonPointer ROOT = new JsonPointer(List.of());

  public JsonPointer {
    tokens = List.copyOf(tokens);
  }

  /** The pointer {@code text} names, or empty when it is not a pointer (no leading '/', a '~' not followed by 0 or 1). */
  public static Optional<JsonPointer> parse(String text) {
    if (text.isEmpty()) {
      return Optional.of(ROOT);
    }
    if (text.charAt(0) != '/') {
      return Optional.empty();
    }
    java.util.ArrayList<String> tokens = new java.util.ArrayList<>();
    StringBuilder token = new StringBuilder();
    for (int i = 1; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '/') {
        tokens.add(token.toString());
        token.setLength(0);
        continue;
      }
      char c = text.charAt(i);
      if (c == '~') {
        char next = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
        if (next == '0') {
          token.append('~');
        } else if (next == '1') {
          token.append('/');
        } else {
          return Optional.empty();
        }
        i++;
      } else {
        token.append(c);
      }
    }
    return Optional.of(new JsonPointer(tokens));
  }

  public boolean isRoot() {
    return tokens.isEmpty();
  }

  public JsonPointer parent() {
    return new JsonPointer(tokens.subList(0, tokens.size() - 1));
  }

  public String last() {
    return tokens.get(tokens.size() - 1);
  }

  /** Whether {@code other} lies strictly inside the value this pointer names. */
  public boolean isProperPrefixOf(JsonPointer other) {
    return other.tokens.size() > tokens.size() && other.tokens.subList(0, tokens.size()).equals(tokens);
  }

  /** Whether this pointer is {@code other} or lies inside it. */
  public boolean startsWith(JsonPointer other) {
    return tokens.size() >= other.tokens.size() && tokens.subList(0, other.tokens.size()).equals(other.tokens);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (String t : tokens) {
      out.append('/').append(t.replace("~", "~0").replace("/", "~1"));
    }
    return out.toString();
  }
}
