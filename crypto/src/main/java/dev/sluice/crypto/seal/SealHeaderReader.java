package dev.sluice.crypto.seal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code sluice-sealed} header's JSON object: the strict grammar of JSON (RFC 8259) for exactly the four
 * members the header has, without a Jackson parser per record. A consumer reads one header per sealed record, and the
 * Jackson parse (a parser, its buffers and symbol table per call) profiled as a visible part of unsealing.
 *
 * <p>It accepts what the Jackson reading it replaced accepted, with the same values (each member once, {@code v} the
 * integer {@code 1} in its one spelling, strings with JSON's escapes and no raw control character, nothing after the
 * object but whitespace), which {@code SealHeaderReaderTest} checks against that reading on valid and hostile inputs.
 * It is stricter in one way: the bytes must be UTF-8 without a byte-order mark and without overlong forms or encoded
 * surrogates, where Jackson also detected UTF-16 and UTF-32, skipped a BOM and decoded overlong forms; no writer of
 * this header produces any of those. Never throws, and its reasons never quote the header.
 */
final class SealHeaderReader {
  /** The object's members, as read: {@code null} for one not (yet) seen. */
  record Members(Integer version, String subject, String key, List<String> fields) {}

  /** What reading found: the members, or why the text is not such an object. */
  sealed interface Read {
    record Ok(Members members) implements Read {}

    record Invalid(String why) implements Read {}
  }

  private static final String MALFORMED = "is not well-formed JSON with unique members";

  /** Signals a malformed text from deep in the reader; never escapes {@link #read}. No stack trace. */
  private static final class Malformed extends Exception {
    private final String why;

    Malformed(String why) {
      super(null, null, false, false);
      this.why = why;
    }
  }

  private final String s;
  private int at;

  private SealHeaderReader(String s) {
    this.s = s;
  }

  /** Reads {@code value} (not null, already bounded in size). */
  static Read read(byte[] value) {
    String text = text(value);
    if (text == null) {
      return new Read.Invalid(MALFORMED);
    }
    try {
      return new Read.Ok(new SealHeaderReader(text).object());
    } catch (Malformed e) {
      return new Read.Invalid(e.why);
    }
  }

  /**
   * The bytes as text: ASCII (every header the gateway writes for ASCII subjects and pointers) read directly, anything
   * else decoded as strict UTF-8; null when they are not.
   */
  private static String text(byte[] value) {
    for (byte b : value) {
      if (b < 0) {
        try {
          return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
          return null;
        }
      }
    }
    return new String(value, StandardCharsets.US_ASCII);
  }

  private Members object() throws Malformed {
    skipSpace();
    if (at == s.length() || s.charAt(at) != '{') {
      throw new Malformed("is not a JSON object");
    }
    at++;
    Integer version = null;
    String subject = null;
    String key = null;
    List<String> fields = null;
    skipSpace();
    if (peek() == '}') {
      at++;
    } else {
      while (true) {
        String name = string();
        skipSpace();
        expect(':');
        skipSpace();
        switch (name) {
          case "v" -> {
            once(version);
            version = version();
          }
          case "subject" -> {
            once(subject);
            subject = stringMember("has a subject that is not a string");
          }
          case "key" -> {
            once(key);
            key = stringMember("has a key that is not a string");
          }
          case "fields" -> {
            once(fields);
            fields = fields();
          }
          default -> throw new Malformed("has a member other than v, subject, key and fields");
        }
        skipSpace();
        char c = peek();
        at++;
        if (c == '}') {
          break;
        }
        if (c != ',') {
          throw new Malformed(MALFORMED);
        }
        skipSpace();
      }
    }
    skipSpace();
    if (at != s.length()) {
      throw new Malformed("is not a single JSON object");
    }
    return new Members(version, subject, key, fields);
  }

  private static void once(Object seen) throws Malformed {
    if (seen != null) {
      throw new Malformed(MALFORMED);
    }
  }

  /**
   * {@code v}: only the integer 1 is accepted, and JSON spells it one way. Any other value, well-formed or not, is
   * refused (a longer number, a fraction or exponent, a sign, a leading zero, another type).
   */
  private Integer version() throws Malformed {
    if (peek() != '1') {
      throw new Malformed("has a v other than " + SealHeader.VERSION);
    }
    at++;
    char next = peek();
    if ((next >= '0' && next <= '9') || next == '.' || next == 'e' || next == 'E') {
      throw new Malformed("has a v other than " + SealHeader.VERSION);
    }
    return SealHeader.VERSION;
  }

  private String stringMember(String otherwise) throws Malformed {
    if (peek() != '"') {
      throw new Malformed(otherwise);
    }
    return string();
  }

  private List<String> fields() throws Malformed {
    if (peek() != '[') {
      throw new Malformed("has fields that are not an array");
    }
    at++;
    List<String> fields = new ArrayList<>(4);
    skipSpace();
    if (peek() == ']') {
      at++;
      return fields;
    }
    while (true) {
      if (peek() != '"') {
        throw new Malformed("has a field that is not a string");
      }
      if (fields.size() == SealHeader.MAX_FIELDS) {
        throw new Malformed("has more than " + SealHeader.MAX_FIELDS + " fields");
      }
      fields.add(string());
      skipSpace();
      char c = peek();
      at++;
      if (c == ']') {
        return fields;
      }
      if (c != ',') {
        throw new Malformed(MALFORMED);
      }
      skipSpace();
    }
  }

  /** A JSON string at {@code at}, its quotes included; its value. */
  private String string() throws Malformed {
    expect('"');
    int start = at;
    // The common case, no escape: the value is the span itself.
    while (at < s.length()) {
      char c = s.charAt(at);
      if (c == '"') {
        return s.substring(start, at++);
      }
      if (c == '\\') {
        break;
      }
      if (c < 0x20) {
        throw new Malformed(MALFORMED);
      }
      at++;
    }
    StringBuilder b = new StringBuilder(s.length() - start).append(s, start, at);
    while (at < s.length()) {
      char c = s.charAt(at++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        throw new Malformed(MALFORMED);
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (at == s.length()) {
        break;
      }
      char e = s.charAt(at++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> b.append(unicodeEscape());
        default -> throw new Malformed(MALFORMED);
      }
    }
    throw new Malformed(MALFORMED);
  }

  /** The four hex digits after {@code \\u}, as one UTF-16 unit (a lone surrogate included, as Jackson reads it). */
  private char unicodeEscape() throws Malformed {
    if (at + 4 > s.length()) {
      throw new Malformed(MALFORMED);
    }
    int unit = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(s.charAt(at++), 16);
      // Character.digit also takes non-ASCII digits, which JSON does not.
      if (digit < 0 || s.charAt(at - 1) > 'f') {
        throw new Malformed(MALFORMED);
      }
      unit = unit << 4 | digit;
    }
    return (char) unit;
  }

  private void expect(char c) throws Malformed {
    if (peek() != c) {
      throw new Malformed(MALFORMED);
    }
    at++;
  }

  /** The character at {@code at}, or NUL at the end (which JSON allows nowhere outside a string's escapes). */
  private char peek() {
    return at < s.length() ? s.charAt(at) : '\0';
  }

  /** JSON's four whitespace characters. */
  private void skipSpace() {
    while (at < s.length()) {
      char c = s.charAt(at);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      at++;
    }
  }
}
