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
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventChecks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Converts one HTTP request into a {@link CloudEvent} (structured and binary content modes of the CloudEvents HTTP
 * protocol binding), or a batch request into one read result per event, and checks the CloudEvents attribute rules.
 *
 * <p>Pure: no HTTP server, no I/O, no exceptions for bad input. Every failure is a {@link Rejection} inside an
 * {@link Outcome}. Stateless and thread-safe.
 *
 * <p>{@code data} is re-encoded as compact JSON. Numbers keep the producer's exact text (no float rounding), member
 * order is kept.
 *
 * <p>Hard limits, checked in one streaming pass before anything else looks at the event, each its own rejection:
 * the body must be UTF-8 ({@link Rejection.InvalidUtf8}, with the byte offset); nesting, number length and string
 * length are bounded by {@link ReadLimits} ({@link Rejection.NestingTooDeep}, {@link Rejection.NumberTooLong},
 * {@link Rejection.StringTooLong}, with a JSON pointer); an object may not repeat a member
 * ({@link Rejection.DuplicateKey}); nothing but whitespace may follow the JSON value
 * ({@link Rejection.TrailingContent}). Jackson's own {@link StreamReadConstraints} are set looser than these, so the
 * reader's checks (which know the pointer) always fire first; Jackson's remain as a backstop, recognised by exception
 * type ({@link StreamConstraintsException}), never by message.
 *
 * <p>Pointers of the hard-limit rejections are rooted at the body: {@code /data/...} for a single event (in binary
 * mode too, where the body is the data), {@code /3/data/...} in a batch. Pointers of attribute violations are rooted
 * at the event.
 */
public final class CloudEventHttpReader {
  public static final String STRUCTURED_MEDIA_TYPE = "application/cloudevents+json";
  public static final String BATCH_MEDIA_TYPE = "application/cloudevents-batch+json";
  static final String HEADER_PREFIX = "ce-";

  private final ReadLimits limits;
  private final JsonFactory json;

  public CloudEventHttpReader() {
    this(ReadLimits.defaults());
  }

  public CloudEventHttpReader(ReadLimits limits) {
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

  public ReadLimits limits() {
    return limits;
  }

  /** Whether a Content-Type header announces a batch. */
  public static boolean isBatch(String contentType) {
    return BATCH_MEDIA_TYPE.equals(baseMediaType(contentType));
  }

  /** Reads one event, in structured or binary mode. A batch media type is unsupported here. */
  public Outcome<CloudEvent> read(HttpEventRequest request) {
    String media = baseMediaType(request.contentType());
    if (STRUCTURED_MEDIA_TYPE.equals(media)) {
      return readStructured(request.body());
    }
    if (media != null && !BATCH_MEDIA_TYPE.equals(media) && CloudEventChecks.isJsonContentType(media)) {
      return readBinary(request.contentType().trim(), request.headers(), request.body());
    }
    return Outcome.rejected(new Rejection.UnsupportedMediaType(request.contentType()));
  }

  /** One event of a batch as read: its position, its {@code id} when one could be read, and the event or why not. */
  public record BatchItem(int index, String id, Outcome<CloudEvent> event) {}

  /**
   * Reads a batch: a JSON array of structured-mode events. Each item is read and judged on its own: an item that is
   * not an object or breaks the CloudEvents rules is a rejected item. What makes the body itself unreadable (invalid
   * UTF-8, broken JSON, a hard limit, trailing content, not an array, no item, too many items) rejects the whole batch.
   */
  public Outcome<List<BatchItem>> readBatch(HttpEventRequest request) {
    if (!isBatch(request.contentType())) {
      return Outcome.rejected(new Rejection.UnsupportedMediaType(request.contentType()));
    }
    byte[] body = request.body();
    try {
      requireUtf8(body);
      try (JsonParser p = json.createParser(body)) {
        JsonToken first = p.nextToken();
        if (first == null) {
          return Outcome.rejected(new Rejection.Malformed(
              "the body is empty: expected a JSON array of CloudEvents", List.of()));
        }
        if (first != JsonToken.START_ARRAY) {
          copy(p, NULL_SINK, 1, "");
          requireEnd(p, body);
          return Outcome.rejected(new Rejection.NotABatch(
              "a batch is a JSON array of structured-mode CloudEvents, the body is a JSON " + kind(first)));
        }
        List<BatchItem> items = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t == null) {
            throw new JsonParseException(p, "unexpected end of input inside the batch array");
          }
          int index = items.size();
          if (index == limits.maxBatchEvents()) {
            // Stop reading at once: the rest of the body is never parsed.
            return Outcome.rejected(new Rejection.BatchTooLarge(limits.maxBatchEvents()));
          }
          if (t == JsonToken.START_OBJECT) {
            ReadEvent e = readEvent(p, "");
            items.add(new BatchItem(index, e.id(), e.outcome()));
          } else {
            copy(p, NULL_SINK, 1, "");
            items.add(new BatchItem(index, null, Outcome.rejected(new Rejection.NotACloudEvent(
                "a structured-mode CloudEvent is a JSON object, this item is a JSON " + kind(t)))));
          }
        }
        requireEnd(p, body);
        if (items.isEmpty()) {
          return Outcome.rejected(new Rejection.EmptyBatch());
        }
        return Outcome.ok(List.copyOf(items));
      }
    } catch (Refusal r) {
      return Outcome.rejected(r.rejection);
    } catch (StreamConstraintsException e) {
      return Outcome.rejected(new Rejection.InputLimitExceeded());
    } catch (IOException e) {
      return Outcome.rejected(new Rejection.Malformed("the body is not valid JSON: " + describe(e), List.of()));
    }
  }

  // ---------------------------------------------------------------------------------------------- structured mode

  private Outcome<CloudEvent> readStructured(byte[] body) {
    try {
      requireUtf8(body);
      try (JsonParser p = json.createParser(body)) {
        JsonToken first = p.nextToken();
        if (first == null) {
          return Outcome.rejected(
              new Rejection.Malformed("the body is empty: expected a CloudEvent JSON object", List.of()));
        }
        if (first != JsonToken.START_OBJECT) {
          copy(p, NULL_SINK, 1, ""); // still tell "not JSON" apart from "JSON, but not an object"
          requireEnd(p, body);
          return Outcome.rejected(new Rejection.NotACloudEvent(
              "a structured-mode CloudEvent is a JSON object, the body is a JSON " + kind(first)));
        }
        ReadEvent e = readEvent(p, "");
        requireEnd(p, body);
        return e.outcome();
      }
    } catch (Refusal r) {
      return Outcome.rejected(r.rejection);
    } catch (StreamConstraintsException e) {
      return Outcome.rejected(new Rejection.InputLimitExceeded());
    } catch (IOException e) {
      return Outcome.rejected(new Rejection.Malformed("the body is not valid JSON: " + describe(e), List.of()));
    }
  }

  /** An event object read, with its id when it had a string one (for batch results), or why it is not acceptable. */
  private record ReadEvent(String id, Outcome<CloudEvent> outcome) {}

  /**
   * Reads the event object the parser is at (its START_OBJECT) up to its END_OBJECT. Attribute problems become
   * violations of this event; hard-limit breaches and broken JSON are thrown, since they make the body unreadable.
   */
  private ReadEvent readEvent(JsonParser p, String pointerPrefix) throws IOException, Refusal {
    Map<String, String> attributes = new HashMap<>();
    Map<String, String> extensions = new LinkedHashMap<>();
    List<Violation> violations = new ArrayList<>();
    Set<String> names = new HashSet<>();
    String data = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = memberName(p, names, pointerPrefix);
      JsonToken value = p.nextToken();
      if (name.equals("data")) {
        data = compact(p, pointerPrefix);
      } else if (name.equals("data_base64")) {
        copy(p, NULL_SINK, 2, pointerPrefix);
        violations.add(new Violation("/data_base64", "data_base64",
            "only JSON data is accepted: send the payload as \"data\", not \"data_base64\""));
      } else if (value == JsonToken.VALUE_NULL) {
        // The spec treats a null attribute as absent.
      } else if (CloudEventChecks.CONTEXT_ATTRIBUTES.contains(name)) {
        if (value == JsonToken.VALUE_STRING) {
          attributes.put(name, text(p, pointerPrefix));
        } else {
          copy(p, NULL_SINK, 2, pointerPrefix);
          violations.add(new Violation(pointer(name), "type", name + " must be a string, was a JSON " + kind(value)));
        }
      } else if (value == JsonToken.VALUE_STRING) {
        extensions.put(name, text(p, pointerPrefix));
      } else if (value.isNumeric()) {
        extensions.put(name, number(p, pointerPrefix));
      } else if (value.isBoolean()) {
        extensions.put(name, p.getText());
      } else {
        copy(p, NULL_SINK, 2, pointerPrefix);
        violations.add(new Violation(pointer(name), "type",
            "extension attribute " + name + " must be a string, number or boolean, was a JSON " + kind(value)));
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new JsonParseException(p, "unexpected token " + t);
    }
    CloudEvent event = new CloudEvent(
        attributes.get("specversion"), attributes.get("id"), attributes.get("source"), attributes.get("type"),
        attributes.get("datacontenttype"), attributes.get("dataschema"), attributes.get("subject"),
        attributes.get("time"), extensions, data == null ? "null" : data);
    return new ReadEvent(attributes.get("id"), checked(event, violations));
  }

  // ---------------------------------------------------------------------------------------------- binary mode

  private Outcome<CloudEvent> readBinary(
      String contentType, Iterable<Map.Entry<String, String>> headers, byte[] body) {
    Map<String, String> attributes = new HashMap<>();
    Map<String, String> extensions = new LinkedHashMap<>();
    List<Violation> violations = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, String> h : headers) {
      String header = h.getKey();
      if (header.length() < HEADER_PREFIX.length()
          || !header.regionMatches(true, 0, HEADER_PREFIX, 0, HEADER_PREFIX.length())) {
        continue;
      }
      String name = header.substring(HEADER_PREFIX.length()).toLowerCase(Locale.ROOT);
      if (name.equals("datacontenttype")) {
        continue; // in binary mode the Content-Type header is the data content type; this header has no meaning
      }
      if (!seen.add(name)) {
        violations.add(new Violation(pointer(name), "unique", "the header " + header + " is given more than once"));
        continue;
      }
      String value = percentDecode(h.getValue());
      if (value == null) {
        violations.add(new Violation(pointer(name), "encoding",
            "the header " + header + " is not valid percent-encoded UTF-8"));
        continue;
      }
      if (CloudEventChecks.CONTEXT_ATTRIBUTES.contains(name)) {
        attributes.put(name, value);
      } else {
        extensions.put(name, value);
      }
    }
    if (!attributes.containsKey("specversion") && !violations.stream().anyMatch(v -> v.pointer().equals("/specversion"))) {
      return Outcome.rejected(new Rejection.NotACloudEvent(
          "no ce-specversion header: send a CloudEvent either as application/cloudevents+json (structured mode) or "
              + "with ce-specversion, ce-id, ce-source and ce-type headers and a JSON body (binary mode)"));
    }
    String data;
    try {
      requireUtf8(body);
      try (JsonParser p = json.createParser(body)) {
        if (p.nextToken() == null) {
          return Outcome.rejected(new Rejection.Malformed("the body is empty: in binary mode it is the event's JSON data",
              List.of(new Violation("/data", "json", "data must be a JSON value, the body is empty"))));
        }
        // The body is the event's data: pointers and depth as if it were the data member of a structured event.
        data = compact(p, "/data");
        requireEnd(p, body);
      }
    } catch (Refusal r) {
      return Outcome.rejected(r.rejection);
    } catch (StreamConstraintsException e) {
      return Outcome.rejected(new Rejection.InputLimitExceeded());
    } catch (IOException e) {
      String why = describe(e);
      return Outcome.rejected(new Rejection.Malformed("the body is not valid JSON: " + why,
          List.of(new Violation("/data", "json", why))));
    }
    CloudEvent event = new CloudEvent(
        attributes.get("specversion"), attributes.get("id"), attributes.get("source"), attributes.get("type"),
        contentType, attributes.get("dataschema"), attributes.get("subject"), attributes.get("time"), extensions, data);
    return checked(event, violations);
  }

  // ---------------------------------------------------------------------------------------------- shared

  /** Adds the CloudEvents rules to what the reader already found; one violation per pointer, the reader's first. */
  private static Outcome<CloudEvent> checked(CloudEvent event, List<Violation> found) {
    List<Violation> all = new ArrayList<>(found);
    Set<String> pointers = new HashSet<>();
    found.forEach(v -> pointers.add(v.pointer()));
    for (Violation v : CloudEventChecks.check(event)) {
      if (!pointers.contains(v.pointer())) {
        all.add(v);
      }
    }
    return all.isEmpty() ? Outcome.ok(event) : Outcome.rejected(new Rejection.InvalidAttributes(all));
  }

  /** The media type without parameters, lower-case; null if absent or blank. */
  static String baseMediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return base.isEmpty() ? null : base;
  }

  /**
   * A hard-limit breach: thrown out of the recursive copy (which has no other way to stop early) and turned into a
   * rejection by the read method. Carries a value, not a message; no stack trace is taken.
   */
  private static final class Refusal extends Exception {
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
  private static void requireEnd(JsonParser p, byte[] body) throws IOException, Refusal {
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
  private String memberName(JsonParser p, Set<String> seen, String pointerPrefix) throws IOException, Refusal {
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
  private String text(JsonParser p, String pointerPrefix) throws IOException, Refusal {
    if (p.getTextLength() > limits.maxStringLength()) {
      throw new Refusal(new Rejection.StringTooLong(limits.maxStringLength(), here(p, pointerPrefix), false));
    }
    String s = p.getText();
    checkSurrogates(p, s, pointerPrefix);
    return s;
  }

  /** The number text at the parser's VALUE_NUMBER_*, bounded; never converted, so its exact text is kept. */
  private String number(JsonParser p, String pointerPrefix) throws IOException, Refusal {
    if (p.getTextLength() > limits.maxNumberLength()) {
      throw new Refusal(new Rejection.NumberTooLong(limits.maxNumberLength(), here(p, pointerPrefix)));
    }
    return p.getText();
  }

  /** Re-encodes the value at the parser's current token (at depth 2: the event's data) as compact JSON. */
  private String compact(JsonParser p, String pointerPrefix) throws IOException, Refusal {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = json.createGenerator(out)) {
      copy(p, new GeneratorSink(g), 2, pointerPrefix);
    }
    return out.toString();
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

  private static String kind(JsonToken t) {
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

  /** RFC 6901: '~' and '/' are escaped in a reference token. */
  static String pointer(String attribute) {
    return "/" + attribute.replace("~", "~0").replace("/", "~1");
  }

  /**
   * The CloudEvents HTTP binding percent-encodes header values outside printable ASCII, '"' and '%'. Returns null for
   * a broken escape or bytes that are not UTF-8.
   */
  public static String percentDecode(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
    byte[] raw = value.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < raw.length; i++) {
      byte b = raw[i];
      if (b == '%') {
        if (i + 2 >= raw.length) {
          return null;
        }
        int hi = Character.digit(raw[i + 1], 16);
        int lo = Character.digit(raw[i + 2], 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write((hi << 4) | lo);
        i += 2;
      } else {
        bytes.write(b);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
