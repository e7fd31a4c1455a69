package dev.sluice.gateway.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventChecks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Converts one HTTP request into a {@link CloudEvent}, per the CloudEvents HTTP protocol binding (structured and binary
 * content modes), and checks the CloudEvents attribute rules.
 *
 * <p>Pure: no HTTP server, no I/O, no exceptions for bad input. Every failure is a {@link Rejection} inside an
 * {@link Outcome}. Stateless and thread-safe.
 *
 * <p>{@code data} is re-encoded as compact JSON. Numbers keep the producer's exact text (no float rounding), member
 * order is kept, duplicate members are refused (which value would win is ambiguous).
 */
public final class CloudEventHttpReader {
  public static final String STRUCTURED_MEDIA_TYPE = "application/cloudevents+json";
  public static final String BATCH_MEDIA_TYPE = "application/cloudevents-batch+json";
  static final String HEADER_PREFIX = "ce-";

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

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

  // ---------------------------------------------------------------------------------------------- structured mode

  private Outcome<CloudEvent> readStructured(byte[] body) {
    Map<String, String> attributes = new HashMap<>();
    Map<String, String> extensions = new LinkedHashMap<>();
    List<Violation> violations = new ArrayList<>();
    String data = null;
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return Outcome.rejected(new Rejection.Malformed("the body is empty: expected a CloudEvent JSON object", List.of()));
      }
      if (first != JsonToken.START_OBJECT) {
        copy(p, new NullSink()); // still tell "not JSON" apart from "JSON, but not an object"
        requireEnd(p);
        return Outcome.rejected(new Rejection.NotACloudEvent(
            "a structured-mode CloudEvent is a JSON object, the body is a JSON " + kind(first)));
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        checkText(p, name);
        JsonToken value = p.nextToken();
        if (name.equals("data")) {
          data = compact(p);
        } else if (name.equals("data_base64")) {
          p.skipChildren();
          violations.add(new Violation("/data_base64", "data_base64",
              "only JSON data is accepted: send the payload as \"data\", not \"data_base64\""));
        } else if (value == JsonToken.VALUE_NULL) {
          // The spec treats a null attribute as absent.
        } else if (CloudEventChecks.CONTEXT_ATTRIBUTES.contains(name)) {
          if (value == JsonToken.VALUE_STRING) {
            attributes.put(name, p.getText());
            checkText(p, p.getText());
          } else {
            p.skipChildren();
            violations.add(new Violation(pointer(name), "type", name + " must be a string, was a JSON " + kind(value)));
          }
        } else if (value == JsonToken.VALUE_STRING || value.isNumeric() || value.isBoolean()) {
          extensions.put(name, p.getText());
          checkText(p, p.getText());
        } else {
          p.skipChildren();
          violations.add(new Violation(pointer(name), "type",
              "extension attribute " + name + " must be a string, number or boolean, was a JSON " + kind(value)));
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new JsonParseException(p, "unexpected token " + t);
      }
      requireEnd(p);
    } catch (IOException e) {
      return Outcome.rejected(new Rejection.Malformed("the body is not valid JSON: " + describe(e), List.of()));
    }
    CloudEvent event = new CloudEvent(
        attributes.get("specversion"), attributes.get("id"), attributes.get("source"), attributes.get("type"),
        attributes.get("datacontenttype"), attributes.get("dataschema"), attributes.get("subject"),
        attributes.get("time"), extensions, data == null ? "null" : data);
    return checked(event, violations);
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
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() == null) {
        return Outcome.rejected(new Rejection.Malformed("the body is empty: in binary mode it is the event's JSON data",
            List.of(new Violation("/data", "json", "data must be a JSON value, the body is empty"))));
      }
      data = compact(p);
      requireEnd(p);
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

  /** Re-encodes the value at the parser's current token as compact JSON, keeping number text exactly. */
  private static String compact(JsonParser p) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      copy(p, new GeneratorSink(g));
    }
    return out.toString();
  }

  /** Where {@link #copy} writes: a generator, or nothing when only well-formedness matters. */
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

  private static final class NullSink implements Sink {
    public void startObject() {}

    public void endObject() {}

    public void startArray() {}

    public void endArray() {}

    public void field(String name) {}

    public void string(String s) {}

    public void number(String text) {}

    public void bool(boolean b) {}

    public void nul() {}
  }

  /** Depth is bounded by Jackson's nesting limit (StreamReadConstraints), so this recursion cannot overflow. */
  private static void copy(JsonParser p, Sink out) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new JsonParseException(p, "unexpected end of input");
    }
    switch (t) {
      case START_OBJECT -> {
        out.startObject();
        JsonToken next;
        while ((next = p.nextToken()) == JsonToken.FIELD_NAME) {
          checkText(p, p.currentName());
          out.field(p.currentName());
          p.nextToken();
          copy(p, out);
        }
        if (next != JsonToken.END_OBJECT) {
          throw new JsonParseException(p, "unexpected token " + next);
        }
        out.endObject();
      }
      case START_ARRAY -> {
        out.startArray();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          copy(p, out);
        }
        out.endArray();
      }
      case VALUE_STRING -> {
        checkText(p, p.getText());
        out.string(p.getText());
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.number(p.getText());
      case VALUE_TRUE -> out.bool(true);
      case VALUE_FALSE -> out.bool(false);
      case VALUE_NULL -> out.nul();
      default -> throw new JsonParseException(p, "unexpected token " + t);
    }
  }

  private static void requireEnd(JsonParser p) throws IOException {
    JsonToken extra = p.nextToken();
    if (extra != null) {
      throw new JsonParseException(p, "unexpected content after the JSON value");
    }
  }

  /**
   * JSON escapes can spell lone UTF-16 surrogates, which have no UTF-8 encoding: they would silently become '?' on the
   * way to Kafka. Refuse them as malformed instead.
   */
  private static void checkText(JsonParser p, String s) throws IOException {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new JsonParseException(p, "a string contains an unpaired UTF-16 surrogate");
      }
      if (Character.isLowSurrogate(c)) {
        throw new JsonParseException(p, "a string contains an unpaired UTF-16 surrogate");
      }
    }
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
  static String percentDecode(String value) {
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
