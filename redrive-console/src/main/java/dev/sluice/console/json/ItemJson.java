package dev.sluice.console.json;

import dev.sluice.console.problem.PayloadInKafkaJson;
import dev.sluice.console.problem.ViolationJson;
import dev.sluice.ingest.CapturedRequest;
import dev.sluice.ingest.Outcome;
import dev.sluice.ingest.ReadEvent;
import dev.sluice.console.redrive.Redriven;
import dev.sluice.quarantine.find.Fingerprint;
import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.HandlerAttempt;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.schemas.event.CapturedHeaders;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Quarantine items as the console's JSON. Pure conversion: no I/O, no HTTP. */
public final class ItemJson {
  private ItemJson() {}

  /** The fields the list shows. Absent optional values are JSON null, so every summary has the same shape. */
  public static JsonObject summary(QuarantineItem item) {
    return new JsonObject()
        .put("id", item.id())
        .put("status", item.status().name())
        .put("stream", item.stream())
        .put("group", item.group())
        .put("type", item.eventType().orElse(null))
        .put("eventId", item.eventId().orElse(null))
        .put("reason", item.reason().name())
        .put("errorClass", item.errorClass())
        .put("errorMessage", item.errorMessage())
        .put("attempts", item.attempts())
        .put("topic", item.topic())
        .put("partition", item.partition())
        .put("offset", item.offset())
        .put("key", item.key().orElse(null))
        .put("quarantinedAt", item.quarantinedAt().toString())
        .put("updatedAt", item.updatedAt().toString())
        .put("redriveCount", item.redriveCount())
        .put("nextAttemptAt", item.nextAttemptAt().map(Object::toString).orElse(null))
        .put("parkedBehind", item.parkedBehind().orElse(null))
        .put("generation", item.generation())
        .put("fingerprint", Fingerprint.of(item).id());
  }

  /**
   * The answer to an accepted redrive: the item's summary and, for an ingress reject appended to its stream,
   * {@code appendedTo: {topic, partition, offset}}.
   */
  public static JsonObject redriven(Redriven redriven) {
    JsonObject json = summary(redriven.item());
    redriven.appendedTo().ifPresent(at -> json.put("appendedTo", new JsonObject()
        .put("topic", at.topic()).put("partition", at.partition()).put("offset", at.offset())));
    return json;
  }

  /** The gateway's recorded schema version, or null (read by the binding, as the consumer reads it). */
  static Integer schemaVersion(List<KafkaHeader> headers) {
    java.util.OptionalInt v = CloudEventKafkaBinding.schemaVersion(headers);
    return v.isPresent() ? v.getAsInt() : null;
  }

  public static JsonObject summaries(List<QuarantineItem> items) {
    JsonArray out = new JsonArray();
    items.forEach(i -> out.add(summary(i)));
    return new JsonObject().put("items", out);
  }

  /**
   * Everything about one item. {@code payload} is the raw record value as UTF-8 text (invalid bytes become U+FFFD;
   * {@code payloadBase64} keeps them exact); {@code data} is the event's data, present only when it is JSON: the
   * payload itself for a binary-mode record, the envelope's {@code data} for a structured-mode one. For an ingress
   * reject the payload is the refused HTTP body, read the same way in the HTTP binding's content modes, and its
   * headers are the HTTP request's, of which only those {@link CapturedHeaders} allows are shown (items captured
   * before the gateway applied that list may hold others, credentials among them).
   */
  public static JsonObject detail(QuarantineItem item) {
    JsonObject json = summary(item);
    json.put("payload", new String(item.payload(), StandardCharsets.UTF_8));
    json.put("payloadBase64", Base64.getEncoder().encodeToString(item.payload()));
    // Too big for the store: the payload above is empty, and this says where its Kafka record keeps it.
    json.put("payloadStored", item.payloadStored());
    PayloadInKafkaJson.of(item).ifPresent(ref -> json.put("payloadInKafka", ref));
    eventData(item).flatMap(d -> parse(Buffer.buffer(d))).ifPresent(v -> json.put("data", v));
    item.editedData().flatMap(d -> parse(Buffer.buffer(d))).ifPresent(v -> json.put("editedData", v));
    JsonArray headers = new JsonArray();
    boolean captured = QuarantineItem.INGRESS_GROUP.equals(item.group());
    for (KafkaHeader h : item.headers()) {
      if (captured && !CapturedHeaders.kept(h.key())) {
        continue;
      }
      headers.add(new JsonObject().put("key", h.key()).put("value", h.valueAsString()));
    }
    json.put("headers", headers);
    // The schema version the data was checked against, as the gateway recorded it on the record (absent for records
    // other producers wrote without it).
    json.put("schemaVersion", schemaVersion(item.headers()));
    json.put("violations", ViolationJson.of(item.violations()));
    JsonArray history = new JsonArray();
    for (AuditEntry a : item.history()) {
      history.add(new JsonObject()
          .put("at", a.at().toString())
          .put("action", a.action())
          .put("actor", a.actor())
          .put("detail", a.detail()));
    }
    json.put("history", history);
    // Every handler call, in order: when, in which tier, how it failed, and the failure's stack trace when one was
    // kept (absent for a success, and for attempts past the item's trace budget or recorded before traces were kept).
    JsonArray attempts = new JsonArray();
    for (HandlerAttempt a : item.attemptLog()) {
      JsonObject attempt = new JsonObject()
          .put("at", a.at().toString())
          .put("tier", a.tier().name())
          .put("errorClass", a.errorClass())
          .put("message", a.message());
      a.stackTrace().ifPresent(t -> attempt.put("stackTrace", t));
      attempts.add(attempt);
    }
    json.put("attemptLog", attempts);
    return json;
  }

  /** A JSON value, or empty when the bytes are not exactly one JSON value (JSON null counts as absent too). */
  static Optional<Object> parse(Buffer bytes) {
    if (bytes.length() == 0) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(Json.decodeValue(bytes));
    } catch (DecodeException notJson) {
      return Optional.empty();
    }
  }

  /** The event's original data (before any operator edit), as text. */
  public static Optional<String> originalData(QuarantineItem item) {
    return eventData(item);
  }

  /** The event's data as the consumer (or, for an ingress reject, the gateway) saw it, in either content mode. */
  private static Optional<String> eventData(QuarantineItem item) {
    if (QuarantineItem.INGRESS_GROUP.equals(item.group())
        && CapturedRequest.decode(item.headers(), item.payload()) instanceof Outcome.Ok<ReadEvent> e) {
      return Optional.of(e.value().event().data());
    }
    var decoded = CloudEventKafkaBinding.decode(item.headers(), item.payload());
    if (decoded instanceof CloudEventKafkaBinding.Decoded.Event e) {
      return Optional.of(e.event().data());
    }
    return Optional.of(new String(item.payload(), StandardCharsets.UTF_8));
  }
}
