package dev.sluice.console.auth;

import dev.sluice.ingest.CapturedRequest;
import dev.sluice.ingest.ReadEvent;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.schemas.event.CloudEventChecks;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An item whose payload masking is known to cover, and how to read it. Masking follows the schemas of the item's type
 * into the event's JSON data, so it covers a payload only when all of these hold (an allow-list: a viewer gets any
 * other payload hidden whole):
 *
 * <ul>
 *   <li>the item's type is exactly a registered type (one that differs by case, or an unknown one, has no schema and
 *       so no marks);
 *   <li>the payload reads as a CloudEvent (it has a {@code specversion}) of that very type, read the way it was read
 *       when it failed (a refused request as the gateway reads it, a record as the consumer does);
 *   <li>its data is JSON: structured mode with no data content type or a JSON one (and no {@code data_base64}), or
 *       binary mode with a JSON content type;
 *   <li>the reader found nothing odd in it (an attribute of the wrong JSON type, a repeated header...).
 * </ul>
 *
 * <p>Pure and thread-safe.
 *
 * @param type the registered type whose schemas mask the payload
 * @param structured whether the payload is the whole event (its {@code data} member is the data) rather than the data
 *     itself
 */
record MaskablePayload(String type, boolean structured) {

  /** The item's payload as masking can cover it, or empty when a viewer must not see it at all. */
  static Optional<MaskablePayload> of(QuarantineItem item, Predicate<String> registeredType) {
    Optional<String> type = item.eventType().filter(registeredType);
    if (type.isEmpty()) {
      return Optional.empty();
    }
    return QuarantineItem.INGRESS_GROUP.equals(item.group()) ? captured(item, type.get()) : consumed(item, type.get());
  }

  /** A request the gateway refused: read as the console's redrive reads it, the gateway's rules. */
  private static Optional<MaskablePayload> captured(QuarantineItem item, String type) {
    return CapturedRequest.decode(item.headers(), item.payload())
        .fold(e -> captured(e, type), unreadable -> Optional.empty());
  }

  private static Optional<MaskablePayload> captured(ReadEvent e, String type) {
    if (!e.readViolations().isEmpty() || e.event().specversion() == null || !type.equals(e.event().type())) {
      return Optional.empty();
    }
    boolean structured = e.mode() == ReadEvent.ContentMode.STRUCTURED;
    // In binary mode the content type is the data's, and the gateway reads only JSON; a structured event without
    // datacontenttype has JSON data by the CloudEvents JSON format's rule.
    String contentType = e.event().datacontenttype();
    boolean jsonData = contentType == null ? structured : CloudEventChecks.isJsonContentType(contentType);
    return jsonData ? Optional.of(new MaskablePayload(type, structured)) : Optional.empty();
  }

  /** A record a consumer group failed: read by the Kafka binding, which checks the CloudEvents rules itself. */
  private static Optional<MaskablePayload> consumed(QuarantineItem item, String type) {
    if (!(CloudEventKafkaBinding.decode(item.headers(), item.payload())
        instanceof CloudEventKafkaBinding.Decoded.Event e) || !type.equals(e.event().type())
        || !isJson(e.event().data())) {
      return Optional.empty();
    }
    // The binding reads a record without a ce_specversion header as structured mode: the value is the whole event.
    String specversion = CloudEventKafkaBinding.PREFIX + "specversion";
    boolean structured = item.headers().stream().noneMatch(h -> h.key().equalsIgnoreCase(specversion));
    return Optional.of(new MaskablePayload(type, structured));
  }

  private static boolean isJson(String text) {
    try {
      Json.decodeValue(text);
      return true;
    } catch (DecodeException notJson) {
      return false;
    }
  }
}
