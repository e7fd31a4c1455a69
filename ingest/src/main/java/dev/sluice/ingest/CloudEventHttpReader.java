package dev.sluice.ingest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.ingest.BoundedJson.Refusal;
import dev.sluice.ingest.ReadEvent.ContentMode;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventChecks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.Optional;
import java.util.Set;

/**
 * The CloudEvents HTTP protocol binding: converts one HTTP request into a {@link CloudEvent} (structured and binary
 * content modes), or a batch request into one read result per event, and checks the CloudEvents attribute rules.
 * Every JSON value it reads goes through a {@link BoundedJson} reader, which enforces the hard limits.
 *
 * <p>Pure: no HTTP server, no I/O, no exceptions for bad input. Every failure is a {@link Rejection} inside an
 * {@link Outcome}. Stateless and thread-safe.
 *
 * <p>Pointers of the hard-limit rejections are rooted at the body: {@code /data/...} for a single event (in binary
 * mode too, where the body is the data), {@code /3/data/...} in a batch. Pointers of attribute violations are rooted
 * at the event.
 */
public final class CloudEventHttpReader {
  public static final String STRUCTURED_MEDIA_TYPE = "application/cloudevents+json";
  public static final String BATCH_MEDIA_TYPE = "application/cloudevents-batch+json";
  static final String HEADER_PREFIX = "ce-";

  private final BoundedJson json;

  public CloudEventHttpReader() {
    this(ReadLimits.defaults());
  }

  public CloudEventHttpReader(ReadLimits limits) {
    this.json = new BoundedJson(limits);
  }

  public ReadLimits limits() {
    return json.limits();
  }

  /** Whether a Content-Type header announces a batch. */
  public static boolean isBatch(String contentType) {
    return BATCH_MEDIA_TYPE.equals(baseMediaType(contentType));
  }

  /** Whether a Content-Type header announces one event in structured mode. */
  public static boolean isStructured(String contentType) {
    return STRUCTURED_MEDIA_TYPE.equals(baseMediaType(contentType));
  }

  /** Reads one event, in structured or binary mode, and checks the CloudEvents rules. A batch is unsupported here. */
  public Outcome<CloudEvent> read(HttpEventRequest request) {
    return decode(request, Optional.empty()).flatMap(ReadEvent::checked);
  }

  /**
   * Reads one event as it was sent, without checking the CloudEvents rules: a request that cannot be read at all is
   * rejected; attribute problems only the reader can see are {@link ReadEvent#readViolations()}.
   *
   * @param replacementData JSON that replaces the event's data (an operator's fix of a captured request), read with
   *     the same limits as a body; in binary mode the body, which is the data, is then not read at all
   */
  public Outcome<ReadEvent> decode(HttpEventRequest request, Optional<String> replacementData) {
    String media = baseMediaType(request.contentType());
    Optional<byte[]> data = replacementData.map(d -> d.getBytes(StandardCharsets.UTF_8));
    if (STRUCTURED_MEDIA_TYPE.equals(media)) {
      Outcome<ReadEvent> read = readStructured(request.body());
      return data.isEmpty() ? read : read.flatMap(e -> json.readData(data.get()).map(e::withData));
    }
    if (media != null && !BATCH_MEDIA_TYPE.equals(media) && CloudEventChecks.isJsonContentType(media)) {
      return readBinary(request.contentType().trim(), request.headers(), data.orElse(request.body()));
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
    return json.read(body, p -> {
      JsonToken first = p.nextToken();
      if (first == null) {
        return Outcome.rejected(new Rejection.Malformed(
            "the body is empty: expected a JSON array of CloudEvents", List.of()));
      }
      if (first != JsonToken.START_ARRAY) {
        json.skip(p, 1, "");
        BoundedJson.requireEnd(p, body);
        return Outcome.rejected(new Rejection.NotABatch(
            "a batch is a JSON array of structured-mode CloudEvents, the body is a JSON " + BoundedJson.kind(first)));
      }
      List<BatchItem> items = new ArrayList<>();
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw new JsonParseException(p, "unexpected end of input inside the batch array");
        }
        int index = items.size();
        if (index == limits().maxBatchEvents()) {
          // Stop reading at once: the rest of the body is never parsed.
          return Outcome.rejected(new Rejection.BatchTooLarge(limits().maxBatchEvents()));
        }
        if (t == JsonToken.START_OBJECT) {
          ReadEvent e = readEvent(p, "");
          items.add(new BatchItem(index, e.event().id(), e.checked()));
        } else {
          json.skip(p, 1, "");
          items.add(new BatchItem(index, null, Outcome.rejected(new Rejection.NotACloudEvent(
              "a structured-mode CloudEvent is a JSON object, this item is a JSON " + BoundedJson.kind(t)))));
        }
      }
      BoundedJson.requireEnd(p, body);
      if (items.isEmpty()) {
        return Outcome.rejected(new Rejection.EmptyBatch());
      }
      return Outcome.ok(List.copyOf(items));
    }, CloudEventHttpReader::malformedBody);
  }

  private static Rejection malformedBody(String why) {
    return new Rejection.Malformed("the body is not valid JSON: " + why, List.of());
  }

  // ---------------------------------------------------------------------------------------------- structured mode

  private Outcome<ReadEvent> readStructured(byte[] body) {
    return json.read(body, p -> {
      JsonToken first = p.nextToken();
      if (first == null) {
        return Outcome.rejected(
            new Rejection.Malformed("the body is empty: expected a CloudEvent JSON object", List.of()));
      }
      if (first != JsonToken.START_OBJECT) {
        json.skip(p, 1, ""); // still tell "not JSON" apart from "JSON, but not an object"
        BoundedJson.requireEnd(p, body);
        return Outcome.rejected(new Rejection.NotACloudEvent(
            "a structured-mode CloudEvent is a JSON object, the body is a JSON " + BoundedJson.kind(first)));
      }
      ReadEvent e = readEvent(p, "");
      BoundedJson.requireEnd(p, body);
      return Outcome.ok(e);
    }, CloudEventHttpReader::malformedBody);
  }

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
      String name = json.memberName(p, names, pointerPrefix);
      JsonToken value = p.nextToken();
      if (name.equals("data")) {
        data = json.compact(p, pointerPrefix);
      } else if (name.equals("data_base64")) {
        json.skip(p, 2, pointerPrefix);
        violations.add(new Violation("/data_base64", "data_base64",
            "only JSON data is accepted: send the payload as \"data\", not \"data_base64\""));
      } else if (value == JsonToken.VALUE_NULL) {
        // The spec treats a null attribute as absent.
      } else if (CloudEventChecks.CONTEXT_ATTRIBUTES.contains(name)) {
        if (value == JsonToken.VALUE_STRING) {
          attributes.put(name, json.text(p, pointerPrefix));
        } else {
          json.skip(p, 2, pointerPrefix);
          violations.add(new Violation(pointer(name), "type",
              name + " must be a string, was a JSON " + BoundedJson.kind(value)));
        }
      } else if (value == JsonToken.VALUE_STRING) {
        extensions.put(name, json.text(p, pointerPrefix));
      } else if (value.isNumeric()) {
        extensions.put(name, json.number(p, pointerPrefix));
      } else if (value.isBoolean()) {
        extensions.put(name, p.getText());
      } else {
        json.skip(p, 2, pointerPrefix);
        violations.add(new Violation(pointer(name), "type", "extension attribute " + name
            + " must be a string, number or boolean, was a JSON " + BoundedJson.kind(value)));
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new JsonParseException(p, "unexpected token " + t);
    }
    CloudEvent event = new CloudEvent(
        attributes.get("specversion"), attributes.get("id"), attributes.get("source"), attributes.get("type"),
        attributes.get("datacontenttype"), attributes.get("dataschema"), attributes.get("subject"),
        attributes.get("time"), extensions, data == null ? "null" : data);
    return new ReadEvent(event, ContentMode.STRUCTURED, violations);
  }

  // ---------------------------------------------------------------------------------------------- binary mode

  private Outcome<ReadEvent> readBinary(String contentType, Iterable<Map.Entry<String, String>> headers, byte[] body) {
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
    if (!attributes.containsKey("specversion")
        && violations.stream().noneMatch(v -> v.pointer().equals("/specversion"))) {
      return Outcome.rejected(new Rejection.NotACloudEvent(
          "no ce-specversion header: send a CloudEvent either as application/cloudevents+json (structured mode) or "
              + "with ce-specversion, ce-id, ce-source and ce-type headers and a JSON body (binary mode)"));
    }
    return json.readData(body).map(data -> new ReadEvent(new CloudEvent(
        attributes.get("specversion"), attributes.get("id"), attributes.get("source"), attributes.get("type"),
        contentType, attributes.get("dataschema"), attributes.get("subject"), attributes.get("time"), extensions, data),
        ContentMode.BINARY, violations));
  }

  // ---------------------------------------------------------------------------------------------- shared

  /** The media type without parameters, lower-case; null if absent or blank. */
  static String baseMediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return base.isEmpty() ? null : base;
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
