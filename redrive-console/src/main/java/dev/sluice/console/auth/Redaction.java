package dev.sluice.console.auth;

import dev.sluice.quarantine.find.SearchableText;
import dev.sluice.quarantine.store.QuarantineItem;
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
 * <p>Masking only covers what it can locate, so a viewer sees an item's payload masked only when the item passes
 * {@link MaskablePayload}'s allow-list (a registered type, a CloudEvent of that type with JSON data); any other
 * payload, its data, the operator's edited data and its violations' messages are hidden whole.
 *
 * <p>Handlers apply it to whatever item content they send: {@code Redaction.of(ctx).item(item, json)} for an item's
 * detail, {@link #itemData} for data shown elsewhere (the lineage's edits), {@link #searchableText} for what free
 * text may match in. Thread-safe: searches use it on worker threads.
 */
public final class Redaction {
  /** The routing-context key {@link ConsoleAuth} stores the request's redaction under. */
  public static final String CONTEXT_KEY = "sluice.console.redaction";
  /** What replaces a payload (or data) whose sensitive values cannot be located. */
  public static final String UNREADABLE_PAYLOAD = "[payload hidden: it is not JSON data of a registered type read as "
      + "a CloudEvent of that type, so its sensitive fields cannot be masked; an operator can see it]";
  /** What replaces the message of a violation of a hidden payload (a message may quote the payload). */
  static final String HIDDEN_MESSAGE = "hidden with the payload";

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
    Object out = data;
    for (JsonObject schema : sensitiveSchemas(type)) {
      out = SensitiveFields.mask(schema, out);
    }
    return out;
  }

  /**
   * Event data with every value masked that any registered type marks sensitive: for data whose type is not known
   * (an audit entry does not name its type). Masks more than the data's own type would; never less.
   */
  public Object dataOfAnyType(Object data) {
    if (registry == null) {
      return data;
    }
    Object out = data;
    for (String type : registry.state().types()) {
      out = data(type, out);
    }
    return out;
  }

  /**
   * An item's detail JSON (as {@code ItemJson.detail} builds it from {@code item}) as the caller may see it. For a
   * viewer: when the payload is {@link MaskablePayload maskable}, {@code data}, {@code editedData}, the raw
   * {@code payload} and {@code payloadBase64} (re-encoded from the masked payload) masked, and the messages of
   * violations that point into a masked value replaced (a schema message may quote the value); otherwise all of
   * those hidden whole ({@link #UNREADABLE_PAYLOAD}, {@code "payloadHidden": true}).
   */
  public JsonObject item(QuarantineItem item, JsonObject detail) {
    if (!masks()) {
      return detail;
    }
    // A digest of the whole payload that Kafka keeps lets one confirm a guess of what it holds, masked values
    // included: a viewer sees where the payload is and its size, not its digest.
    Optional.ofNullable(detail.getJsonObject("payloadInKafka")).ifPresent(ref -> ref.remove("sha256"));
    Optional<MaskablePayload> maskable = maskable(item);
    return maskable.isPresent() ? masked(maskable.get(), detail) : hidden(detail);
  }

  /**
   * Data of {@code item} shown apart from its detail (an edit's before and after in the lineage), as JSON text the
   * caller may see: masked as the item's payload would be, or hidden whole when the payload would be.
   */
  public String itemData(QuarantineItem item, String dataJson) {
    if (!masks()) {
      return dataJson;
    }
    Optional<MaskablePayload> maskable = maskable(item);
    if (maskable.isEmpty()) {
      return UNREADABLE_PAYLOAD;
    }
    try {
      return Json.encode(data(maskable.get().type(), Json.decodeValue(dataJson)));
    } catch (DecodeException notJson) {
      return UNREADABLE_PAYLOAD;
    }
  }

  /**
   * What free text may match in for the caller: everything for one who sees everything; for a viewer, the payload
   * and the edited data exactly as {@link #item} shows them, and nothing of a payload it hides (a search must not
   * match inside values the caller cannot see).
   */
  public SearchableText searchableText() {
    return masks() ? this::visibleText : SearchableText.ALL;
  }

  private List<String> visibleText(QuarantineItem item) {
    Optional<MaskablePayload> maskable = maskable(item);
    if (maskable.isEmpty()) {
      return List.of();
    }
    String type = maskable.get().type();
    if (sensitiveSchemas(type).isEmpty()) {
      // Nothing to mask: the viewer sees the payload and the edit as they are.
      return SearchableText.ALL.of(item);
    }
    List<String> out = new ArrayList<>(2);
    out.add(maskPayload(maskable.get(), new String(item.payload(), StandardCharsets.UTF_8)));
    item.editedData().flatMap(Redaction::parse).ifPresent(edited -> out.add(Json.encode(data(type, edited))));
    return out;
  }

  private Optional<MaskablePayload> maskable(QuarantineItem item) {
    return MaskablePayload.of(item, type -> !registry.state().versions(type).isEmpty());
  }

  private JsonObject masked(MaskablePayload maskable, JsonObject detail) {
    String type = maskable.type();
    if (sensitiveSchemas(type).isEmpty()) {
      return detail;
    }
    JsonObject out = detail.copy();
    if (out.containsKey("data")) {
      out.put("data", data(type, out.getValue("data")));
    }
    if (out.containsKey("editedData")) {
      out.put("editedData", data(type, out.getValue("editedData")));
    }
    if (out.getValue("payload") instanceof String payload) {
      replacePayload(out, maskPayload(maskable, payload));
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

  /** Payload, data and edited data hidden whole; violations keep their pointers and keywords, not their messages. */
  private static JsonObject hidden(JsonObject detail) {
    JsonObject out = detail.copy();
    out.remove("data");
    out.remove("editedData");
    replacePayload(out, UNREADABLE_PAYLOAD);
    if (out.getValue("violations") instanceof JsonArray violations) {
      JsonArray v2 = new JsonArray();
      for (Object v : violations) {
        v2.add(v instanceof JsonObject violation ? violation.copy().put("message", HIDDEN_MESSAGE) : v);
      }
      out.put("violations", v2);
    }
    return out.put("payloadHidden", true);
  }

  private static void replacePayload(JsonObject detail, String payload) {
    detail.put("payload", payload);
    if (detail.containsKey("payloadBase64")) {
      detail.put("payloadBase64", Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8)));
    }
  }

  /**
   * The raw payload, masked: in structured mode the envelope's {@code data}, in binary mode the payload itself (it is
   * the data). The mode is the one the payload was read in, never guessed from its content: a binary-mode body that
   * looks like an envelope is still the data.
   */
  private String maskPayload(MaskablePayload maskable, String payload) {
    if (payload.isBlank()) {
      return payload;
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(payload);
    } catch (DecodeException e) {
      return UNREADABLE_PAYLOAD;
    }
    if (!maskable.structured()) {
      return Json.encode(data(maskable.type(), parsed));
    }
    if (!(parsed instanceof JsonObject event)) {
      return UNREADABLE_PAYLOAD;
    }
    JsonObject out = event.copy();
    if (out.containsKey("data")) {
      out.put("data", data(maskable.type(), out.getValue("data")));
    }
    return out.encode();
  }

  private static Optional<Object> parse(String json) {
    try {
      return Optional.ofNullable(Json.decodeValue(json));
    } catch (DecodeException notJson) {
      return Optional.empty();
    }
  }

  /** The parsed schemas of every version of {@code type} that marks something sensitive; none when clear. */
  private List<JsonObject> sensitiveSchemas(String type) {
    if (registry == null || type == null || type.isEmpty()) {
      return List.of();
    }
    List<JsonObject> out = new ArrayList<>();
    for (SchemaVersion v : registry.state().versions(type)) {
      parsed.computeIfAbsent(v.fingerprint(), f -> parse(v.schemaJson()).flatMap(Redaction::marking))
          .ifPresent(out::add);
    }
    return out;
  }

  private static Optional<JsonObject> marking(Object schema) {
    return schema instanceof JsonObject o && SensitiveFields.marksAnything(o) ? Optional.of(o) : Optional.empty();
  }
}
