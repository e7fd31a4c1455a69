package dev.sluice.console.auth;

import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.SchemaVersion;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a principal may see of a payload. For a role that may not {@link Role.Action#SEE_SENSITIVE see sensitive
 * data} (viewers), every value marked {@code "x-sensitive": true} in <em>any</em> registered version of the item's type
 * is masked (the item does not record which version it was checked against, so the union is the safe choice); for
 * the others nothing changes.
 *
 * <p>Handlers apply it to whatever payload they send: {@code Redaction.of(ctx).item(json)} for an item's JSON
 * (data, edited data, raw payload, violation messages), {@code Redaction.of(ctx).data(type, value)} for any other
 * event data (samples, audit before/after).
 */
public final class Redaction {
  /** The routing-context key {@link ConsoleAuth} stores the request's redaction under. */
  public static final String CONTEXT_KEY = "sluice.console.redaction";
  /** What replaces a raw payload whose sensitive fields cannot be located (it is not JSON). */
  public static final String UNREADABLE_PAYLOAD = "[payload hidden: it is not JSON, so its sensitive fields cannot be "
      + "masked; an operator can see it]";

  private static final Redaction CLEAR = new Redaction(null);

  private final SchemaRegistry registry;
  /** Parsed schemas by fingerprint: registered versions never change, so this only grows with the registry. */
  private final Map<String, Optional<JsonObject>> parsed;

  private Redaction(SchemaRegistry registry) {
    this.registry = registry;
    this.parsed = new ConcurrentHashMap<>();
  }

  /** Shows everything. */
  public static Redaction clear() {
    return CLEAR;
  }

  /** Masks what the registry's schemas mark sensitive. */
  public static Redaction masking(SchemaRegistry registry) {
    return new Redaction(java.util.Objects.requireNonNull(registry, "registry"));
  }

  /**
   * The request's redaction: clear for an operator or admin, masking for a viewer. A request with no principal gets
   * the masking one when there is one on the context, else nothing is shown in the clear either way: such a route is a
   * wiring bug, so this fails.
   */
  public static Redaction of(RoutingContext ctx) {
    Redaction r = ctx.get(CONTEXT_KEY);
    if (r == null) {
      throw new IllegalStateException("no redaction on " + ctx.request().path() + ": the route is not behind ConsoleAuth");
    }
    return r;
  }

  public boolean masks() {
    return registry != null;
  }

  /** Event data of {@code type} with its sensitive values masked ({@code type} empty or unknown: unchanged). */
  public Object data(String type, Object data) {
    List<JsonObject> schemas = sensitiveSchemas(type);
    Object out = data;
    for (JsonObject schema : schemas) {
      out = SensitiveFields.mask(schema, out);
    }
    return out;
  }

  /**
   * An item's JSON as {@code ItemJson.detail} builds it, masked: {@code data}, {@code editedData}, the raw
   * {@code payload} and {@code payloadBase64} (re-encoded from the masked payload), and the messages of violations
   * that point into a masked value (a schema message may quote the value).
   */
  public JsonObject item(JsonObject itemJson) {
    String type = itemJson.getString("type");
    List<JsonObject> schemas = sensitiveSchemas(type);
    if (schemas.isEmpty()) {
      return itemJson;
    }
    JsonObject out = itemJson.copy();
    if (out.containsKey("data")) {
      out.put("data", data(type, out.getValue("data")));
    }
    if (out.containsKey("editedData")) {
      out.put("editedData", data(type, out.getValue("editedData")));
    }
    if (out.getValue("payload") instanceof String payload) {
      String masked = maskPayload(type, payload);
      out.put("payload", masked);
      if (out.containsKey("payloadBase64")) {
        out.put("payloadBase64", Base64.getEncoder().encodeToString(masked.getBytes(StandardCharsets.UTF_8)));
      }
    }
    if (out.getValue("violations") instanceof JsonArray violations) {
      Object maskedData = out.getValue("data");
      JsonArray v2 = new JsonArray();
      for (Object v : violations) {
        if (v instanceof JsonObject violation && violation.getValue("pointer") instanceof String pointer
            && pointer.startsWith("/data") && maskedData != null
            && SensitiveFields.isMaskedAt(maskedData, pointer.substring("/data".length()))) {
          v2.add(violation.copy().put("message", "a sensitive value breaks the schema (" + violation.getString(
              "keyword", "?") + ")"));
        } else {
          v2.add(v);
        }
      }
      out.put("violations", v2);
    }
    return out;
  }

  /**
   * The raw record value, masked: a structured CloudEvent (or a batch of them) gets its {@code data} masked, any
   * other JSON is taken as the data itself (binary mode), and anything else is hidden whole.
   */
  private String maskPayload(String type, String payload) {
    Object parsed;
    try {
      parsed = payload.isBlank() ? null : Json.decodeValue(payload);
    } catch (DecodeException e) {
      return UNREADABLE_PAYLOAD;
    }
    if (parsed == null) {
      return payload;
    }
    if (parsed instanceof JsonArray batch) {
      JsonArray out = new JsonArray();
      for (Object e : batch) {
        out.add(e instanceof JsonObject event && isStructured(event) ? maskEnvelope(type, event) : data(type, e));
      }
      return out.encode();
    }
    if (parsed instanceof JsonObject event && isStructured(event)) {
      return maskEnvelope(type, event).encode();
    }
    return Json.encode(data(type, parsed));
  }

  private JsonObject maskEnvelope(String type, JsonObject event) {
    JsonObject out = event.copy();
    String eventType = event.getValue("type") instanceof String t ? t : type;
    if (out.containsKey("data")) {
      out.put("data", data(eventType, out.getValue("data")));
    }
    if (out.containsKey("data_base64")) {
      out.put("data_base64", UNREADABLE_PAYLOAD);
    }
    return out;
  }

  private static boolean isStructured(JsonObject o) {
    return o.containsKey("specversion") && (o.containsKey("data") || o.containsKey("data_base64"));
  }

  /** The parsed schemas of every version of {@code type} that marks something sensitive; none when clear. */
  private List<JsonObject> sensitiveSchemas(String type) {
    if (registry == null || type == null || type.isEmpty()) {
      return List.of();
    }
    List<JsonObject> out = new ArrayList<>();
    for (SchemaVersion v : registry.state().versions(type)) {
      parsed.computeIfAbsent(v.fingerprint(), f -> parse(v.schemaJson())).ifPresent(out::add);
    }
    return out;
  }

  private static Optional<JsonObject> parse(String schemaJson) {
    try {
      JsonObject schema = new JsonObject(schemaJson);
      return SensitiveFields.marksAnything(schema) ? Optional.of(schema) : Optional.empty();
    } catch (DecodeException e) {
      return Optional.empty();
    }
  }
}
