package dev.sluice.console.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.event.KafkaHeader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Each rule of the allow-list on its own: one item that passes, and for each rule one that breaks only it. */
class MaskablePayloadTest {
  private static final String TYPE = "retail.photographer.registered";
  private static final Predicate<String> REGISTERED = TYPE::equals;
  private static final String DATA = "{\"id\":\"ph-1\",\"email\":\"ada@example.com\"}";
  private static final String EVENT = "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/x\",\"type\":\"" + TYPE
      + "\",\"data\":" + DATA + "}";

  private static QuarantineItem item(String group, String type, List<KafkaHeader> headers, String payload) {
    Instant at = Instant.parse("2025-03-01T10:15:30Z");
    return new QuarantineItem("i-1", QuarantineStatus.QUARANTINED, "retail", group, "retail", 0, 1,
        Optional.empty(), payload.getBytes(StandardCharsets.UTF_8), headers, Optional.of("e-1"),
        Optional.ofNullable(type), QuarantineReason.SCHEMA_VIOLATION, "x", "refused", List.of(), 0, at, at,
        Optional.empty(), 0, List.of());
  }

  private static QuarantineItem captured(String type, List<KafkaHeader> headers, String body) {
    return item(QuarantineItem.INGRESS_GROUP, type, headers, body);
  }

  private static List<KafkaHeader> http(String contentType, String... ce) {
    List<KafkaHeader> out = new java.util.ArrayList<>(List.of(KafkaHeader.of("content-type", contentType)));
    for (int i = 0; i < ce.length; i += 2) {
      out.add(KafkaHeader.of(ce[i], ce[i + 1]));
    }
    return out;
  }

  private static List<KafkaHeader> binaryHttp(String contentType) {
    return http(contentType, "ce-specversion", "1.0", "ce-id", "e-1", "ce-source", "/x", "ce-type", TYPE);
  }

  private static Optional<MaskablePayload> of(QuarantineItem item) {
    return MaskablePayload.of(item, REGISTERED);
  }

  @Test
  void capturedRequestsOfTheRegisteredTypeWithJsonDataPass() {
    assertEquals(Optional.of(new MaskablePayload(TYPE, true)),
        of(captured(TYPE, http("application/cloudevents+json"), EVENT)));
    assertEquals(Optional.of(new MaskablePayload(TYPE, true)), of(captured(TYPE,
        http("application/cloudevents+json"), EVENT.replace("{\"specversion\"",
            "{\"datacontenttype\":\"application/vnd.x+json\",\"specversion\""))), "a +json data content type");
    assertEquals(Optional.of(new MaskablePayload(TYPE, false)),
        of(captured(TYPE, binaryHttp("application/json; charset=utf-8"), DATA)));
  }

  @Test
  void recordsOfTheRegisteredTypeWithJsonDataPass() {
    List<KafkaHeader> binary = List.of(KafkaHeader.of("content-type", "application/json"),
        KafkaHeader.of("ce_specversion", "1.0"), KafkaHeader.of("ce_id", "e-1"), KafkaHeader.of("ce_source", "/x"),
        KafkaHeader.of("ce_type", TYPE));
    assertEquals(Optional.of(new MaskablePayload(TYPE, false)), of(item("catalog-builder", TYPE, binary, DATA)));
    assertEquals(Optional.of(new MaskablePayload(TYPE, true)), of(item("catalog-builder", TYPE,
        List.of(KafkaHeader.of("content-type", "application/cloudevents+json")), EVENT)));
    assertEquals(Optional.empty(), of(item("catalog-builder", TYPE, binary, "not json")), "data not JSON");
    assertEquals(Optional.empty(), of(item("catalog-builder", TYPE, List.of(), EVENT)), "not read as a CloudEvent");
  }

  @Test
  void theTypeMustBeExactlyARegisteredOne() {
    assertEquals(Optional.empty(), of(captured(null, http("application/cloudevents+json"), EVENT)), "none");
    String other = "Retail.Photographer.Registered";
    assertEquals(Optional.empty(), of(captured(other, http("application/cloudevents+json"),
        EVENT.replace(TYPE, other))), "differs by case");
    assertEquals(Optional.empty(), of(captured(TYPE, http("application/cloudevents+json"),
        EVENT.replace(TYPE, "retail.product.created"))), "the envelope says another type");
  }

  @Test
  void thePayloadMustReadAsACloudEventWithJsonData() {
    assertEquals(Optional.empty(), of(captured(TYPE, http("application/cloudevents+json"),
        EVENT.replace("\"specversion\":\"1.0\",", ""))), "no specversion");
    assertEquals(Optional.empty(), of(captured(TYPE, http("application/cloudevents+json"),
        EVENT.substring(0, EVENT.length() - 1))), "malformed");
    assertEquals(Optional.empty(), of(captured(TYPE, http("application/cloudevents+json"),
        EVENT.replace("\"data\":" + DATA, "\"data_base64\":\"e30=\""))), "data_base64");
    assertEquals(Optional.empty(), of(captured(TYPE, http("application/cloudevents+json"),
        EVENT.replace("{\"specversion\"", "{\"datacontenttype\":\"text/plain\",\"specversion\""))),
        "structured, data not JSON");
    assertEquals(Optional.empty(), of(captured(TYPE, binaryHttp("text/plain"), DATA)), "binary text/plain");
    assertEquals(Optional.empty(), of(captured(TYPE, http("application/json"), DATA)), "no ce-specversion");
    List<KafkaHeader> twice = new java.util.ArrayList<>(binaryHttp("application/json"));
    twice.add(KafkaHeader.of("CE-Type", TYPE));
    assertEquals(Optional.empty(), of(captured(TYPE, twice, DATA)), "the reader found a repeated attribute");
  }
}
