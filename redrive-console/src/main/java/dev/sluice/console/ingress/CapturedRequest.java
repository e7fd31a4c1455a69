package dev.sluice.console.ingress;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventChecks;
import dev.sluice.schemas.event.KafkaHeader;
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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a request the gateway refused back into the CloudEvent it carried. An ingress quarantine item holds the HTTP
 * body as its payload and the HTTP request headers (lower-case names) as its headers; this reads them the way the
 * gateway's reader does, in the CloudEvents HTTP binding's two content modes:
 *
 * <ul>
 *   <li>structured, when the content type is {@value #STRUCTURED_MEDIA_TYPE}: the body is the whole event (attributes,
 *       extensions and {@code data});
 *   <li>binary otherwise: attributes come from {@code ce-*} headers (percent-decoded), the content type is the data
 *       content type, and the body is the data.
 * </ul>
 *
 * <p>Replacement data (an operator's fix) swaps only the data; the envelope stays as the producer sent it. In binary
 * mode the body is then not read at all, so a body that is not JSON can be fixed this way; in structured mode the
 * envelope is the body, so a body that is not one JSON object cannot.
 *
 * <p>{@code data} is re-encoded as compact JSON keeping the producer's exact number text and member order, as the
 * gateway appends it. The CloudEvents attribute rules are not checked here but by {@link IngressCheck}; problems only
 * the reader can see (an attribute of the wrong JSON type) come back as {@link Decoded.Event#readViolations()}.
 *
 * <p>Pure, stateless and thread-safe. The input is bounded (the gateway keeps at most 256 KiB of body, the console
 * takes at most 1 MiB of replacement data) and the JSON copy is iterative, so deep nesting costs no stack.
 */
public final class CapturedRequest {
  public static final String STRUCTURED_MEDIA_TYPE = "application/cloudevents+json";
  public static final String CONTENT_TYPE = "content-type";
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";
  static final String HEADER_PREFIX = "ce-";
  /** Longer tracestate values are not forwarded (the gateway's bound too). */
  static final int MAX_TRACESTATE_LENGTH = 512;

  private static final JsonFactory JSON = JsonFactory.builder()
      // The gateway refuses repeated members; a captured body that repeats one is read the same way.
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      // Member names come from producers: never String.intern() them into the JVM-wide pool.
      .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
      .build();
  private static final Pattern TRACEPARENT_FORM =
      Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(-[^\\s]*)?");

  private CapturedRequest() {}

  /** The HTTP binding's content modes. */
  public enum ContentMode {
    STRUCTURED,
    BINARY
  }

  /** What the captured request turned out to be. */
  public sealed interface Decoded {
    /**
     * A CloudEvent (possibly with data replaced), not yet checked against the CloudEvents rules or any schema.
     *
     * @param readViolations what only the reader can tell: an attribute of the wrong JSON type, a header that is not
     *     valid percent-encoded UTF-8, {@code data_base64}; pointers rooted at the event
     */
    record Event(CloudEvent event, ContentMode mode, List<Violation> readViolations) implements Decoded {
      public Event {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(mode, "mode");
        readViolations = List.copyOf(readViolations);
      }
    }

    /** Not readable as a CloudEvent, whatever the data. */
    record Unreadable(String detail) implements Decoded {}
  }

  /**
   * Decodes a captured request.
   *
   * @param headers the HTTP request headers as captured (names lower-case)
   * @param body the HTTP body as captured
   * @param replacementData compact JSON replacing the event's data, or empty to keep the captured data
   */
  public static Decoded decode(List<KafkaHeader> headers, byte[] body, Optional<String> replacementData) {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(replacementData, "replacementData");
    byte[] bytes = body == null ? new byte[0] : body;
    String contentType = header(headers, CONTENT_TYPE).map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
    if (STRUCTURED_MEDIA_TYPE.equals(baseMediaType(contentType))) {
      return structured(bytes, replacementData);
    }
    return binary(contentType, headers, bytes, replacementData);
  }

  /**
   * The W3C trace context the producer sent, as Kafka headers of the same names, so that consumers of the redriven
   * event continue the producer's trace. An invalid {@code traceparent} is dropped (never refused: tracing must not
   * cost an event); {@code tracestate} travels only with a valid one.
   */
  public static List<KafkaHeader> traceHeaders(List<KafkaHeader> headers) {
    Optional<String> traceparent = header(headers, TRACEPARENT).map(String::trim).filter(CapturedRequest::validTrace);
    if (traceparent.isEmpty()) {
      return List.of();
    }
    List<KafkaHeader> out = new ArrayList<>(2);
    out.add(KafkaHeader.of(TRACEPARENT, traceparent.get()));
    header(headers, TRACESTATE).map(String::trim)
        .filter(s -> !s.isEmpty() && s.length() <= MAX_TRACESTATE_LENGTH && s.chars().allMatch(c -> c >= 0x20 && c < 0x7f))
        .ifPresent(s -> out.add(KafkaHeader.of(TRACESTATE, s)));
    return List.copyOf(out);
  }

  private static boolean validTrace(String v) {
    return TRACEPARENT_FORM.matcher(v).matches()
        && !v.startsWith("ff")
        && !(v.startsWith("00") && v.length() != 55)
        && !v.substring(3, 35).chars().allMatch(c -> c == '0')
        && !v.substring(36, 52).chars().allMatch(c -> c == '0');
  }

  // ---------------------------------------------------------------------------------------------- structured mode

  private static Decoded structured(byte[] body, Optional<String> replacementData) {
    if (body.length == 0) {
      return new Decoded.Unreadable("the captured body is empty (or was too large to keep), and in structured mode "
          + "(" + STRUCTURED_MEDIA_TYPE + ") the body is the whole event: there is no envelope to redrive");
    }
    String text = utf8(body);
    if (text == null) {
      return new Decoded.Unreadable("the captured body is not UTF-8, and in structured mode it is the whole event: "
          + "its envelope cannot be read");
    }
    Map<String, String> attributes = new HashMap<>();
    Map<String, String> extensions = new LinkedHashMap<>();
    List<Violation> violations = new ArrayList<>();
    String data = null;
    try (JsonParser p = JSON.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        return new Decoded.Unreadable("in structured mode the body must be one JSON object (the event), but it is "
            + (first == null ? "empty" : "a JSON " + kind(first)));
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("data")) {
          data = compact(p);
        } else if (name.equals("data_base64")) {
          p.skipChildren();
          violations.add(new Violation("/data_base64", "data_base64",
              "only JSON data is accepted: the payload must be \"data\", not \"data_base64\""));
        } else if (value == JsonToken.VALUE_NULL) {
          // The spec treats a null attribute as absent.
        } else if (CloudEventChecks.CONTEXT_ATTRIBUTES.contains(name)) {
          if (value == JsonToken.VALUE_STRING) {
            attributes.put(name, text(p));
          } else {
            p.skipChildren();
            violations.add(new Violation(pointer(name), "type", name + " must be a string, was a JSON " + kind(value)));
          }
        } else if (value == JsonToken.VALUE_STRING) {
          extensions.put(name, text(p));
        } else if (value.isNumeric() || value.isBoolean()) {
          extensions.put(name, p.getText());
        } else {
          p.skipChildren();
          violations.add(new Violation(pointer(name), "type",
              "extension attribute " + name + " must be a string, number or boolean, was a JSON " + kind(value)));
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new JsonParseException(p, "unexpected token " + t);
      }
      if (p.nextToken() != null) {
        return new Decoded.Unreadable("the captured body has content after the event object");
      }
    } catch (IOException | LoneSurrogate e) {
      return new Decoded.Unreadable("the captured body is not a readable JSON object, so the event's envelope "
          + "cannot be read: " + describe(e));
    }
    CloudEvent event = new CloudEvent(
        attributes.get("specversion"), attributes.get("id"), attributes.get("source"), attributes.get("type"),
        attributes.get("datacontenttype"), attributes.get("dataschema"), attributes.get("subject"),
        attributes.get("time"), extensions, replacementData.orElse(data == null ? "null" : data));
    return new Decoded.Event(event, ContentMode.STRUCTURED, violations);
  }

  // ---------------------------------------------------------------------------------------------- binary mode

  private static Decoded binary(
      String contentType, List<KafkaHeader> headers, byte[] body, Optional<String> replacementData) {
    Map<String, String> attributes = new HashMap<>();
    Map<String, String> extensions = new LinkedHashMap<>();
    List<Violation> violations = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (KafkaHeader h : headers) {
      String header = h.key();
      if (header.length() <= HEADER_PREFIX.length()
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
      String raw = h.valueAsString();
      String value = raw == null ? null : percentDecode(raw);
      if (value == null) {
        violations.add(new Violation(pointer(name), "encoding",
            "the header " + header + " is not valid percent-encoded UTF-8"));
        continue;
      }
      (CloudEventChecks.CONTEXT_ATTRIBUTES.contains(name) ? attributes : extensions).put(name, value);
    }
    // No ce-specversion header at all: not a CloudEvent. (One that was there but unreadable is a violation instead.)
    if (!seen.contains("specversion")) {
      return new Decoded.Unreadable("the captured request is not a CloudEvent: its content type is "
          + (contentType == null ? "missing" : "'" + contentType + "'") + " (not " + STRUCTURED_MEDIA_TYPE
          + ") and it has no ce-specversion header, so there is no envelope to redrive");
    }
    String data;
    if (replacementData.isPresent()) {
      data = replacementData.get();
    } else {
      Optional<String> read;
      try {
        read = binaryData(body);
      } catch (IOException | LoneSurrogate e) {
        return new Decoded.Unreadable("the captured body is the event's data but is not JSON (" + describe(e)
            + "): redrive it with replacement data, {\"data\": ...}");
      }
      if (read.isEmpty()) {
        return new Decoded.Unreadable("the captured body is the event's data but is empty or not UTF-8 (or was too "
            + "large to keep): redrive it with replacement data, {\"data\": ...}");
      }
      data = read.get();
    }
    CloudEvent event = new CloudEvent(
        attributes.get("specversion"), attributes.get("id"), attributes.get("source"), attributes.get("type"),
        contentType, attributes.get("dataschema"), attributes.get("subject"), attributes.get("time"), extensions, data);
    return new Decoded.Event(event, ContentMode.BINARY, violations);
  }

  /** The body as compact JSON; empty when it is empty or not UTF-8. */
  private static Optional<String> binaryData(byte[] body) throws IOException, LoneSurrogate {
    String text = utf8(body);
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() == null) {
        return Optional.empty();
      }
      String data = compact(p);
      if (p.nextToken() != null) {
        throw new JsonParseException(p, "content after the JSON value");
      }
      return Optional.of(data);
    }
  }

  // ---------------------------------------------------------------------------------------------- shared

  /** The header's value (the last one, as for every Kafka header lookup); names compared ignoring case. */
  static Optional<String> header(List<KafkaHeader> headers, String name) {
    String v = null;
    for (KafkaHeader h : headers) {
      if (h.key().equalsIgnoreCase(name) && h.value() != null) {
        v = h.valueAsString();
      }
    }
    return Optional.ofNullable(v);
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
   * Copies the value at the parser's current token as compact JSON: numbers keep their exact text, member order is
   * kept. Iterative, so nesting depth costs no stack (Jackson's own nesting limit still applies).
   */
  private static String compact(JsonParser p) throws IOException, LoneSurrogate {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      int depth = 0;
      while (true) {
        JsonToken t = p.currentToken();
        if (t == null) {
          throw new JsonParseException(p, "unexpected end of input");
        }
        switch (t) {
          case START_OBJECT -> {
            g.writeStartObject();
            depth++;
          }
          case END_OBJECT -> {
            g.writeEndObject();
            depth--;
          }
          case START_ARRAY -> {
            g.writeStartArray();
            depth++;
          }
          case END_ARRAY -> {
            g.writeEndArray();
            depth--;
          }
          case FIELD_NAME -> g.writeFieldName(noLoneSurrogate(p.currentName()));
          case VALUE_STRING -> g.writeString(text(p));
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
          case VALUE_TRUE -> g.writeBoolean(true);
          case VALUE_FALSE -> g.writeBoolean(false);
          case VALUE_NULL -> g.writeNull();
          default -> throw new JsonParseException(p, "unexpected token " + t);
        }
        if (depth == 0) {
          break;
        }
        p.nextToken();
      }
    }
    return out.toString();
  }

  private static String text(JsonParser p) throws IOException, LoneSurrogate {
    return noLoneSurrogate(p.getText());
  }

  /**
   * JSON escapes can spell lone UTF-16 surrogates, which have no UTF-8 encoding: they would silently become '?' on
   * the way to Kafka. The gateway refuses them as malformed; so does this reader.
   */
  private static String noLoneSurrogate(String s) throws LoneSurrogate {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new LoneSurrogate();
      }
    }
    return s;
  }

  /** Thrown out of the copy on a lone surrogate; a value, not a bug, so no stack trace. */
  private static final class LoneSurrogate extends Exception {
    LoneSurrogate() {
      super("a string contains an unpaired UTF-16 surrogate escape, which has no UTF-8 encoding", null, false, false);
    }
  }

  /** Jackson's message without the source excerpt it appends (which would echo the body back). */
  private static String describe(Exception e) {
    if (e instanceof JsonParseException jpe) {
      var loc = jpe.getLocation();
      return jpe.getOriginalMessage()
          + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")");
    }
    if (e instanceof LoneSurrogate) {
      return e.getMessage();
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

  /** Strict UTF-8: malformed bytes give null instead of being silently replaced. */
  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
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
    return utf8(bytes.toByteArray());
  }
}
