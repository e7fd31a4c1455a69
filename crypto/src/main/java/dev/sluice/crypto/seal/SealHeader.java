package dev.sluice.crypto.seal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.crypto.keys.KeyVersion;
import dev.sluice.crypto.keys.SubjectRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Kafka header {@code sluice-sealed} of a record whose data has sealed values:
 * {@code {"v":1,"subject":"ph-1","key":"1.5e3a1f20","fields":["/email","/name"]}}. It says whose key sealed them
 * ({@code subject}), which version of it ({@code key}), and where the sealed values stand ({@code fields}: RFC 6901
 * pointers, sorted, each once). A record with nothing sealed has no such header.
 *
 * <p>Reading is strict and never throws: exactly these four members, each once, {@code v} exactly 1, at most
 * {@value #MAX_BYTES} bytes and {@value #MAX_FIELDS} fields, nothing after the object. Anything else is an
 * {@link Parsed.Invalid} saying why, without quoting the header.
 */
public record SealHeader(String subject, KeyVersion key, List<String> fields) {
  public static final String NAME = "sluice-sealed";
  public static final int VERSION = 1;
  public static final int MAX_BYTES = 64 * 1024;
  public static final int MAX_FIELDS = 1_000;
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** Only for writing a header with a surrogate in it ({@link #encode}). */
  private static final JsonFactory JSON = new JsonFactory();

  public SealHeader {
    Objects.requireNonNull(key, "key");
    fields = List.copyOf(fields);
    Optional<String> problem = problem(subject, fields);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
  }

  /** The header for {@code fields} in any order (each once). */
  public static SealHeader of(String subject, KeyVersion key, Collection<String> fields) {
    String[] sorted = fields.toArray(new String[0]);
    Arrays.sort(sorted);
    return new SealHeader(subject, key, Arrays.asList(sorted));
  }

  /** What reading a header value found. */
  public sealed interface Parsed {
    record Ok(SealHeader header) implements Parsed {}

    record Invalid(String reason) implements Parsed {}
  }

  /**
   * The header's value: compact JSON in UTF-8. Written directly rather than through a Jackson generator (the gateway
   * writes one per sealed event), escaping as Jackson does; a text with a surrogate, which only an odd member name
   * can put in a pointer, still goes through Jackson, so that it is refused as before.
   */
  public byte[] encode() {
    byte[] out = hasSurrogate() ? viaJackson() : direct();
    if (out.length > MAX_BYTES) {
      throw new IllegalArgumentException("a sluice-sealed header of " + out.length + " bytes is over " + MAX_BYTES);
    }
    return out;
  }

  private byte[] direct() {
    StringBuilder b = new StringBuilder(48 + subject.length() + 16 * fields.size())
        .append("{\"v\":").append(VERSION).append(",\"subject\":");
    quoted(b, subject).append(",\"key\":");
    quoted(b, key.text()).append(",\"fields\":[");
    for (int i = 0; i < fields.size(); i++) {
      quoted(i == 0 ? b : b.append(','), fields.get(i));
    }
    return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code text} as a JSON string, with Jackson's escapes: its short forms, else {@code \\u00XX}. */
  private static StringBuilder quoted(StringBuilder b, String text) {
    b.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\t' -> b.append("\\t");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20) {
            b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"');
  }

  private boolean hasSurrogate() {
    if (hasSurrogate(subject)) {
      return true;
    }
    for (String field : fields) {
      if (hasSurrogate(field)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private byte[] viaJackson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 16 * fields.size());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("v", VERSION);
      g.writeStringField("subject", subject);
      g.writeStringField("key", key.text());
      g.writeArrayFieldStart("fields");
      for (String field : fields) {
        g.writeString(field);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Reads a header's value. */
  public static Parsed parse(byte[] value) {
    if (value == null) {
      return invalid("has no value");
    }
    if (value.length > MAX_BYTES) {
      return invalid("is over " + MAX_BYTES + " bytes");
    }
    // A reader of its own rather than a Jackson parser: one header is read per sealed record a consumer unseals.
    SealHeaderReader.Read read = SealHeaderReader.read(value);
    if (read instanceof SealHeaderReader.Read.Invalid invalid) {
      return invalid(invalid.why());
    }
    SealHeaderReader.Members members = ((SealHeaderReader.Read.Ok) read).members();
    Integer version = members.version();
    String subject = members.subject();
    String key = members.key();
    List<String> fields = members.fields();
    if (version == null || subject == null || key == null || fields == null) {
      return invalid("lacks one of v, subject, key and fields");
    }
    Optional<KeyVersion> keyVersion = KeyVersion.parse(key);
    if (keyVersion.isEmpty()) {
      return invalid("has a key that is not <generation>.<8 hex digits>");
    }
    Optional<String> problem = problem(subject, fields);
    return problem.isPresent() ? invalid(problem.get())
        : new Parsed.Ok(new SealHeader(subject, keyVersion.get(), fields));
  }

  private static Parsed invalid(String why) {
    return new Parsed.Invalid("the " + NAME + " header " + why);
  }

  private static Optional<String> problem(String subject, List<String> fields) {
    if (!SubjectRef.isValidSubject(subject)) {
      return Optional.of("has a subject that is not 1 to " + SubjectRef.MAX_SUBJECT_LENGTH
          + " characters without control characters");
    }
    if (fields.isEmpty() || fields.size() > MAX_FIELDS) {
      return Optional.of("has no fields, or more than " + MAX_FIELDS);
    }
    String previous = null;
    for (String field : fields) {
      if (!isPointer(field)) {
        return Optional.of("has a field that is not a JSON pointer to a member or item");
      }
      if (previous != null && previous.compareTo(field) >= 0) {
        return Optional.of("has fields that are not sorted, or repeated");
      }
      previous = field;
    }
    return Optional.empty();
  }

  /** An RFC 6901 pointer below the root: {@code /} then tokens, with {@code ~} only in {@code ~0} and {@code ~1}. */
  private static boolean isPointer(String s) {
    if (s == null || s.isEmpty() || s.charAt(0) != '/') {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '~' && (i + 1 == s.length() || (s.charAt(i + 1) != '0' && s.charAt(i + 1) != '1'))) {
        return false;
      }
    }
    return true;
  }
}
