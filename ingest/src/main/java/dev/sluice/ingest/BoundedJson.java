package dev.sluice.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.sluice.schemas.Violation;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads untrusted JSON within hard limits, in one streaming pass, before anything else looks at it: the body must be
 * UTF-8 ({@link Rejection.InvalidUtf8}, with the byte offset); nesting, number length and string length are bounded
 * by {@link ReadLimits} ({@link Rejection.NestingTooDeep}, {@link Rejection.NumberTooLong},
 * {@link Rejection.StringTooLong}, with a JSON pointer); an object may not repeat a member
 * ({@link Rejection.DuplicateKey}); nothing but whitespace may follow the JSON value
 * ({@link Rejection.TrailingContent}). Jackson's own {@link StreamReadConstraints} are set looser than these, so these
 * checks (which know the pointer) always fire first; Jackson's remain as a backstop, recognised by exception type
 * ({@link StreamConstraintsException}), never by message.
 *
 * <p>Values are copied as compact JSON: numbers keep their exact text (no float rounding), member order is kept.
 * Pointers are rooted at the body, after the prefix the caller gives (e.g. {@code /data} when the body is an event's
 * data, {@code /3} for the fourth event of a batch).
 *
 * <p>Knows nothing of CloudEvents: {@link CloudEventHttpReader} reads events with it. Stateless and thread-safe.
 */
final class BoundedJson {
  private final ReadLimits limits;
  private final JsonFactory json;

  BoundedJson(ReadLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.json = JsonFactory.builder()
        // Backstops only (see the class comment): a batch adds one level above the event, hence + 2.
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxDepth() + 2)
            .maxNumberLength(Integer.MAX_VALUE)
            .maxStringLength(Integer.MAX_VALUE)
            .maxNameLength(Integer.MAX_VALUE)
            .build())
        .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(limits.maxDepth() + 2).build())
        // Member names come from clients: never String.intern() them into the JVM-wide pool.
        .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
        .build();
  }

  ReadLimits limits() {
    return limits;
  }

  /** Reads what a parser over a body holds; it may end by a {@link Refusal} (a hard limit) or broken JSON. */
  @FunctionalInterface
  interface BodyReader<T> {
    Outcome<T> read(JsonParser p) throws IOException, Refusal;
  }

  /**
   * Reads {@code body} with {@code reader}, after checking it is UTF-8. A hard-limit breach becomes its rejection,
   * JSON that does not parse becomes {@code malformed} of Jackson's reason (without the excerpt of the body it adds).
   */
  <T> Outcome<T> read(byte[] body, BodyReader<T> reader, Function<String, Rejection> malformed) {
    try {
      requireUtf8(body);
      try (JsonParser p = json.createParser(body)) {
        return reader.read(p);
      }
    } catch (Refusal r) {
      return Outcome.rejected(r.rejection);
    } catch (StreamConstraintsException e) {
      return Outcome.rejected(new Rejection.InputLimitExceeded());
    } catch (IOException e) {
      return Outcome.rejected(malformed.apply(describe(e)));
    }
  }

  /**
   * A body that is one JSON value (an event's data), as compact JSON; pointers and depth as if it were the data
   * member of a structured event, rooted at {@code /data}.
   */
  Outcome<String> readData(byte[] body) {
    return read(body, p -> {
      if (p.nextToken() == null) {
        return Outcome.rejected(new Rejection.Malformed("the body is empty: in binary mode it is the event's JSON data",
            List.of(new Violation("/data", "json", "data must be a JSON value, the body is empty"))));
      }
      String data = compact(p, "/data");
      requireEnd(p, body);
      return Outcome.ok(data);
    }, why -> new Rejection.Malformed("the body is not valid JSON: " + why,
        List.of(new Violation("/data", "json", why))));
  }

  /**
   * A hard-limit breach: thrown out of the recursive copy (which has no other way to stop early) and turned into a
   * rejection by {@link #read}. Carries a value, not a message; no stack trace is taken.
   */
  static final class Refusal extends Exception {
    private final Rejection rejection;

    Refusal(Rejection rejection) {
      super(null, null, false, false);
      this.rejection = rejection;
    }
  }

  /** The pointer of the parser's current value, rooted at the body. */
  private static String here(JsonParser p, String pointerPrefix) {
    return pointerPrefix + p.getParsingContext().pathAsPointer();
  }

  /**
   * RFC 8259: JSON exchanged between systems is UTF-8. Checked before parsing so that the client learns the offset of
   * the first bad byte. A NUL byte is refused too: it never occurs in UTF-8 JSON text (control characters must be
   * escaped), and Jackson would take NULs among the first bytes as a sign of UTF-16 or UTF-32.
   */
  static void requireUtf8(byte[] body) throws Refusal {
    int firstNonAscii = -1;
    for (int i = 0; i < body.length; i++) {
      byte b = body[i];
      if (b == 0) {
        throw new Refusal(new Rejection.InvalidUtf8(i));
      }
      if (b < 0 && firstNonAscii < 0) {
        firstNonAscii = i;
      }
    }
    if (firstNonAscii < 0) {
      return; // pure ASCII is UTF-8
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body, firstNonAscii, body.length - firstNonAscii);
    // Decoded in small pieces into one reused buffer: only validity matters, the text is not kept.
    CharBuffer out = CharBuffer.allocate(4096);
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      if (r.isError()) {
        throw new Refusal(new Rejection.InvalidUtf8(in.position()));
      }
      if (r.isOverflow()) {
        out.clear();
        continue;
      }
      break; // underflow: all input consumed
    }
    CoderResult flushed;
    while ((flushed = decoder.flush(out)).isOverflow()) {
      out.clear();
    }
    if (flushed.isError()) {
      throw new Refusal(new Rejection.InvalidUtf8(in.position()));
    }
  }

  /**
   * After the one JSON value, only whitespace may follow. Checked on the bytes rather than by asking the parser for
   * another token, so that any trailing text, JSON or not, is the same rejection with its byte offset.
   */
  static void requireEnd(JsonParser p, byte[] body) throws IOException, Refusal {
    long from = p.currentLocation().getByteOffset();
    if (from < 0) {
      // Only a byte-based parser knows byte offsets, and requireUtf8 ensures Jackson picks one; should that ever
      // change, still refuse trailing content, at the offset the parser can tell.
      if (p.nextToken() != null) {
        throw new Refusal(new Rejection.TrailingContent(Math.max(0, p.currentTokenLocation().getCharOffset())));
      }
      return;
    }
    for (long i = from; i < body.length; i++) {
      byte b = body[(int) i];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        throw new Refusal(new Rejection.TrailingContent(i));
      }
    }
  }

  /** Reads a member name at the parser's FIELD_NAME: bounded, no lone surrogate, not seen before in this object. */
  String memberName(JsonParser p, Set<String> seen, String pointerPrefix) throws IOException, Refusal {
    String name = p.currentName();
    if (name.length() > limits.maxStringLength()) {
      throw new Refusal(new Rejection.StringTooLong(limits.maxStringLength(), here(p, pointerPrefix), true));
    }
    checkSurrogates(p, name, pointerPrefix);
    if (!seen.add(name)) {
      throw new Refusal(new Rejection.DuplicateKey(here(p, pointerPrefix)));
    }
    return name;
  }

  /** The string at the parser's VALUE_STRING, bounded. */
  String text(JsonParser p, String pointerPrefix) throws IOException, Refusal {
    if (p.getTextLength() > limits.maxStringLength()) {
      throw new Refusal(new Rejection.StringTooLong(limits.maxStringLength(), here(p, pointerPrefix), false));
    }
    String s = p.getText();
    checkSurrogates(p, s, pointerPrefix);
    return s;
  }

  /** The number text at the parser's VALUE_NUMBER_*, bounded; never converted, so its exact text is kept. */
  String number(JsonParser p, String pointerPrefix) throws IOException, Refusal {
    if (p.getTextLength() > limits.maxNumberLength()) {
      throw new Refusal(new Rejection.NumberTooLong(limits.maxNumberLength(), here(p, pointerPrefix)));
    }
    return p.getText();
  }

  /** Re-encodes the value at the parser's current token (at depth 2: the event's data) as compact JSON. */
  String compact(JsonParser p, String pointerPrefix) throws IOException, Refusal {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = json.createGenerator(out)) {
      copy(p, new GeneratorSink(g), 2, pointerPrefix);
    }
    return out.toString();
  }

  /**
   * Reads past the value at the parser's current token, enforcing every limit on the way: only well-formedness and
   * the limits matter. {@code depth} is the depth a container at this token would have (see {@link ReadLimits}).
   */
  void skip(JsonParser p, int depth, String pointerPrefix) throws IOException, Refusal {
    copy(p, NULL_SINK, depth, pointerPrefix);
  }

  /** Where {@link #copy} writes: a generator, or nothing when only well-formedness and the limits matter. */
  private interface Sink {
    void startObject() throws IOException;

    void endObject() throws IOException;

    void startArray() throws IOException;

    void endArray() throws IOException;

    void field(String name) throws IOException;

    void string(String s) throws IOException;

    void number(String text) throws IOException;

    void bool(boolean b) throws IOException;

    void nul() throws IOException;
  }

  private record GeneratorSink(JsonGenerator g) implements Sink {
    public void startObject() throws IOException {
      g.writeStartObject();
    }

    public void endObject() throws IOException {
      g.writeEndObject();
    }

    public void startArray() throws IOException {
      g.writeStartArray();
    }

    public void endArray() throws IOException {
      g.writeEndArray();
    }

    public void field(String name) throws IOException {
      g.writeFieldName(name);
    }

    public void string(String s) throws IOException {
      g.writeString(s);
    }

    public void number(String text) throws IOException {
      g.writeNumber(text); // the parser validated the text; writing it verbatim avoids double rounding
    }

    public void bool(boolean b) throws IOException {
      g.writeBoolean(b);
    }

    public void nul() throws IOException {
      g.writeNull();
    }
  }

  private static final Sink NULL_SINK = new Sink() {
    public void startObject() {}

    public void endObject() {}

    public void startArray() {}

    public void endArray() {}

    public void field(String name) {}

    public void string(String s) {}

    public void number(String text) {}

    public void bool(boolean b) {}

    public void nul() {}
  };

  /**
   * Copies the value at the parser's current token to {@code out}, enforcing every limit on the way. {@code depth} is
   * the depth a container at this token would have, counted from the event (see {@link ReadLimits}). The recursion is
   * bounded by {@link ReadLimits#maxDepth()}, checked before descending.
   */
  private void copy(JsonParser p, Sink out, int depth, String pointerPrefix) throws IOException, Refusal {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new JsonParseException(p, "unexpected end of input");
    }
    switch (t) {
      case START_OBJECT -> {
        if (depth > limits.maxDepth()) {
          throw new Refusal(new Rejection.NestingTooDeep(limits.maxDepth(), here(p, pointerPrefix)));
        }
        out.startObject();
        Set<String> names = new HashSet<>();
        JsonToken next;
        while ((next = p.nextToken()) == JsonToken.FIELD_NAME) {
          out.field(memberName(p, names, pointerPrefix));
          p.nextToken();
          copy(p, out, depth + 1, pointerPrefix);
        }
        if (next != JsonToken.END_OBJECT) {
          throw new JsonParseException(p, "unexpected token " + next);
        }
        out.endObject();
      }
      case START_ARRAY -> {
        if (depth > limits.maxDepth()) {
          throw new Refusal(new Rejection.NestingTooDeep(limits.maxDepth(), here(p, pointerPrefix)));
        }
        out.startArray();
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
          if (next == null) {
            throw new JsonParseException(p, "unexpected end of input");
          }
          copy(p, out, depth + 1, pointerPrefix);
        }
        out.endArray();
      }
      case VALUE_STRING -> out.string(text(p, pointerPrefix));
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.number(number(p, pointerPrefix));
      case VALUE_TRUE -> out.bool(true);
      case VALUE_FALSE -> out.bool(false);
      case VALUE_NULL -> out.nul();
      default -> throw new JsonParseException(p, "unexpected token " + t);
    }
  }

  /**
   * JSON escapes can spell lone UTF-16 surrogates, which have no UTF-8 encoding: they would silently become '?' on the
   * way to Kafka. Refuse them as malformed instead.
   */
  private static void checkSurrogates(JsonParser p, String s, String pointerPrefix) throws Refusal {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        throw loneSurrogate(p, pointerPrefix);
      }
      if (Character.isLowSurrogate(c)) {
        throw loneSurrogate(p, pointerPrefix);
      }
    }
  }

  private static Refusal loneSurrogate(JsonParser p, String pointerPrefix) {
    String why = "a string contains an unpaired UTF-16 surrogate escape, which has no UTF-8 encoding";
    return new Refusal(new Rejection.Malformed("the body is not valid JSON text: " + why,
        List.of(new Violation(here(p, pointerPrefix), "encoding", why))));
  }

  /** Jackson's message without the source excerpt it appends (which would echo the body back). */
  private static String describe(IOException e) {
    if (e instanceof JsonParseException jpe) {
      String msg = jpe.getOriginalMessage();
      var loc = jpe.getLocation();
      return loc == null ? msg : msg + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }
    return e.getClass().getSimpleName();
  }

  /** The kind of JSON value a token starts, as a client would name it. */
  static String kind(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "object";
      case START_ARRAY -> "array";
      case VALUE_STRING -> "string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
      case VALUE_TRUE, VALUE_FALSE -> "boolean";
      case VALUE_NULL -> "null";
      default -> t.name();
    };
  }
}
