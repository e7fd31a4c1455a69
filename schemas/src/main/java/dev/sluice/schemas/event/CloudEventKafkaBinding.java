package dev.sluice.schemas.event;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CloudEvents Kafka protocol binding. Sluice writes binary content mode: attributes travel as {@code ce_*} headers,
 * the data content type as {@code content-type}, and the record value is the data itself. It reads both binary and
 * structured mode (the whole event as the record value, {@code content-type: application/cloudevents+json}).
 */
public final class CloudEventKafkaBinding {
  public static final String PREFIX = "ce_";
  public static final String CONTENT_TYPE = "content-type";
  public static final String DEFAULT_CONTENT_TYPE = "application/json";
  /** The content type of a record in structured content mode. */
  public static final String STRUCTURED = "application/cloudevents+json";
  /**
   * Sluice's own header: the schema version of the event's type that the gateway validated the data against, as a
   * decimal string. Consumers validate against the same version.
   */
  public static final String SCHEMA_VERSION = "sluice-schema-version";

  private CloudEventKafkaBinding() {}

  /** The headers for an event, in a stable order: spec attributes first, then extensions, then content-type. */
  public static List<KafkaHeader> headers(CloudEvent e) {
    List<KafkaHeader> out = new ArrayList<>();
    add(out, "specversion", e.specversion());
    add(out, "id", e.id());
    add(out, "source", e.source());
    add(out, "type", e.type());
    add(out, "subject", e.subject());
    add(out, "time", e.time());
    add(out, "dataschema", e.dataschema());
    e.extensions().forEach((k, v) -> add(out, k, v));
    out.add(KafkaHeader.of(CONTENT_TYPE, e.datacontenttype() == null ? DEFAULT_CONTENT_TYPE : e.datacontenttype()));
    return out;
  }

  private static void add(List<KafkaHeader> out, String attr, String value) {
    if (value != null) {
      out.add(KafkaHeader.of(PREFIX + attr, value));
    }
  }

  /** The schema version recorded by the gateway; empty when the header is absent or not a positive number. */
  public static java.util.OptionalInt schemaVersion(Iterable<KafkaHeader> headers) {
    String v = null;
    for (KafkaHeader h : headers) {
      if (SCHEMA_VERSION.equals(h.key())) {
        v = h.valueAsString(); // the last one wins, as for every Kafka header lookup
      }
    }
    if (v == null || v.isEmpty() || v.length() > 9 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return java.util.OptionalInt.empty();
    }
    int n = Integer.parseInt(v);
    return n >= 1 ? java.util.OptionalInt.of(n) : java.util.OptionalInt.empty();
  }

  /** What a Kafka record turned out to be. */
  public sealed interface Decoded {
    /** A well-formed CloudEvent; its data is not yet checked against any schema. */
    record Event(CloudEvent event) implements Decoded {}

    /** Not a CloudEvent in binary mode, or one that breaks the CloudEvents rules. */
    record NotACloudEvent(String reason) implements Decoded {}
  }

  /** Reads a record written in binary mode. Never throws: anything unreadable is a {@link Decoded.NotACloudEvent}. */
  public static Decoded decode(Iterable<KafkaHeader> headers, byte[] value) {
    Map<String, String> attrs = new HashMap<>();
    String contentType = null;
    for (KafkaHeader h : headers) {
      String key = h.key();
      if (key.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
        String v = utf8(h.value());
        if (v == null) {
          return new Decoded.NotACloudEvent("header " + key + " is not UTF-8");
        }
        attrs.put(key.substring(PREFIX.length()).toLowerCase(java.util.Locale.ROOT), v);
      } else if (key.equalsIgnoreCase(CONTENT_TYPE)) {
        contentType = utf8(h.value());
      }
    }
    if (!attrs.containsKey("specversion")) {
      if (contentType != null && contentType.trim().toLowerCase(java.util.Locale.ROOT).startsWith(STRUCTURED)) {
        return decodeStructured(value);
      }
      return new Decoded.NotACloudEvent("no ce_specversion header and no content-type " + STRUCTURED
          + ": the record is not a CloudEvent");
    }
    String data = value == null ? "null" : utf8(value);
    if (data == null) {
      return new Decoded.NotACloudEvent("the record value is not UTF-8 text");
    }
    Map<String, String> extensions = new LinkedHashMap<>();
    attrs.forEach((k, v) -> {
      if (!CloudEventChecks.CONTEXT_ATTRIBUTES.contains(k)) {
        extensions.put(k, v);
      }
    });
    CloudEvent event = new CloudEvent(
        attrs.get("specversion"), attrs.get("id"), attrs.get("source"), attrs.get("type"),
        contentType, attrs.get("dataschema"), attrs.get("subject"), attrs.get("time"), extensions, data);
    return checked(event);
  }

  /**
   * Structured content mode: the record value is the whole event as a JSON object. Sluice's gateway writes binary
   * mode, but other producers on the same topic may not, and the wrapper must judge their records too.
   */
  private static Decoded decodeStructured(byte[] value) {
    String text = value == null ? null : utf8(value);
    if (text == null) {
      return new Decoded.NotACloudEvent("the structured-mode record value is missing or not UTF-8 text");
    }
    org.json.JSONObject envelope;
    try {
      org.json.JSONTokener tokener = new org.json.JSONTokener(text);
      Object parsed = tokener.nextValue();
      if (!(parsed instanceof org.json.JSONObject obj) || tokener.nextClean() != 0) {
        return new Decoded.NotACloudEvent("a structured-mode record must be one JSON object");
      }
      envelope = obj;
    } catch (org.json.JSONException e) {
      return new Decoded.NotACloudEvent("the structured-mode record is not JSON: " + e.getMessage());
    }
    if (envelope.has("data_base64")) {
      return new Decoded.NotACloudEvent("data_base64 is not accepted: Sluice carries JSON data only");
    }
    Map<String, String> attrs = new HashMap<>();
    Map<String, String> extensions = new LinkedHashMap<>();
    for (String name : envelope.keySet()) {
      if (name.equals("data")) {
        continue;
      }
      Object v = envelope.get(name);
      if (v instanceof org.json.JSONObject || v instanceof org.json.JSONArray || v == org.json.JSONObject.NULL) {
        return new Decoded.NotACloudEvent("attribute " + name + " must be a string, number or boolean");
      }
      (CloudEventChecks.CONTEXT_ATTRIBUTES.contains(name) ? attrs : extensions).put(name, v.toString());
    }
    Object data = envelope.opt("data");
    String dataJson = data == null ? "null"
        : data instanceof String str ? org.json.JSONObject.quote(str) : data.toString();
    CloudEvent event = new CloudEvent(attrs.get("specversion"), attrs.get("id"), attrs.get("source"),
        attrs.get("type"), attrs.get("datacontenttype"), attrs.get("dataschema"), attrs.get("subject"),
        attrs.get("time"), extensions, dataJson);
    return checked(event);
  }

  private static Decoded checked(CloudEvent event) {
    var violations = CloudEventChecks.check(event);
    if (!violations.isEmpty()) {
      StringBuilder why = new StringBuilder("the record breaks the CloudEvents rules:");
      violations.forEach(v -> why.append(' ').append(v.pointer()).append(": ").append(v.message()).append(';'));
      return new Decoded.NotACloudEvent(why.toString());
    }
    return new Decoded.Event(event);
  }

  /** Strict UTF-8: malformed bytes give null instead of being silently replaced. */
  private static String utf8(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
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
}
