package dev.sluice.console.catalog;

import dev.sluice.console.auth.Redaction;
import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.registry.RegistryState;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A record from the end of a stream's topic as the catalog shows it: where it is, the event's attributes, and its data
 * as the caller may see it.
 *
 * <p>The data is shown as the ledger holds it: sealed values stay sealed ({@code "sluice:v1:…"}); nothing is opened
 * here, and {@code sealed} lists where the record says its sealed values stand. For a viewer, the data is masked
 * exactly as {@link Redaction#data} masks an item's data (every value any version of the type marks sensitive, sealed
 * or not, becomes the mask), and only when masking can cover it: a CloudEvent of a registered type with JSON data.
 * Any other record's data is hidden whole from a viewer ({@code dataHidden}), as an item's payload would be.
 *
 * <p>Pure and thread-safe.
 */
public final class SampleJson {
  private SampleJson() {}

  /** {@code record} as {@code redaction} lets its caller see it; {@code state} says which types are registered. */
  public static JsonObject of(CatalogKafka.TailRecord record, Redaction redaction, RegistryState state) {
    JsonObject out = new JsonObject()
        .put("partition", record.partition())
        .put("offset", record.offset())
        .put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
    CloudEventKafkaBinding.schemaVersion(record.headers()).ifPresent(v -> out.put("schemaVersion", v));
    sealedFields(record).ifPresent(fields -> out.put("sealed", fields));
    if (!(CloudEventKafkaBinding.decode(record.headers(), record.value())
        instanceof CloudEventKafkaBinding.Decoded.Event decoded)) {
      out.put("notACloudEvent", true);
      return redaction.masks() ? hidden(out) : out.put("data", text(record.value()));
    }
    var e = decoded.event();
    out.put("id", e.id()).put("type", e.type()).put("source", e.source());
    if (e.time() != null) {
      out.put("time", e.time());
    }
    Object data;
    try {
      data = Json.decodeValue(e.data());
    } catch (DecodeException notJson) {
      return redaction.masks() ? hidden(out) : out.put("data", e.data());
    }
    if (!redaction.masks()) {
      return out.put("data", data);
    }
    // Masking follows the type's schemas into the data: a type with none has no marks to follow, so nothing is shown.
    if (e.type() == null || state.versions(e.type()).isEmpty()) {
      return hidden(out);
    }
    return out.put("data", redaction.data(e.type(), data));
  }

  private static JsonObject hidden(JsonObject out) {
    return out.put("data", Redaction.UNREADABLE_PAYLOAD).put("dataHidden", true);
  }

  private static java.util.Optional<JsonArray> sealedFields(CatalogKafka.TailRecord record) {
    byte[] value = null;
    for (KafkaHeader h : record.headers()) {
      if (SealHeader.NAME.equals(h.key())) {
        value = h.value();
      }
    }
    if (value == null) {
      return java.util.Optional.empty();
    }
    // Only where the sealed values stand: whose key sealed them (the subject) is not the catalog's to show.
    return SealHeader.parse(value) instanceof SealHeader.Parsed.Ok ok
        ? java.util.Optional.of(new JsonArray(java.util.List.copyOf(ok.header().fields())))
        : java.util.Optional.of(new JsonArray());
  }

  private static String text(byte[] value) {
    return value == null ? "" : new String(value, java.nio.charset.StandardCharsets.UTF_8);
  }
}
