package dev.sluice.schemas.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudEventKafkaBindingTest {
  private final CloudEvent event = new CloudEvent("1.0", "id-1", "/shop", "retail.product.created", null, null,
      "p-1", "2026-11-22T10:00:00Z", Map.of("traceparent", "00-abc"), "{\"id\":\"p-1\"}");

  @Test
  void headersFollowTheBinaryContentMode() {
    List<KafkaHeader> headers = CloudEventKafkaBinding.headers(event);
    Map<String, String> byKey = new java.util.HashMap<>();
    headers.forEach(h -> byKey.put(h.key(), h.valueAsString()));
    assertEquals("1.0", byKey.get("ce_specversion"));
    assertEquals("id-1", byKey.get("ce_id"));
    assertEquals("/shop", byKey.get("ce_source"));
    assertEquals("retail.product.created", byKey.get("ce_type"));
    assertEquals("p-1", byKey.get("ce_subject"));
    assertEquals("00-abc", byKey.get("ce_traceparent"));
    assertEquals("application/json", byKey.get("content-type"));
  }

  @Test
  void decodingWhatWasEncodedGivesTheSameEvent() {
    var decoded = CloudEventKafkaBinding.decode(CloudEventKafkaBinding.headers(event),
        event.data().getBytes(StandardCharsets.UTF_8));
    CloudEvent back = assertInstanceOf(CloudEventKafkaBinding.Decoded.Event.class, decoded).event();
    assertEquals(event.withData(event.data()).id(), back.id());
    assertEquals(Map.of("traceparent", "00-abc"), back.extensions());
    assertEquals("application/json", back.datacontenttype());
    assertEquals(event.data(), back.data());
  }

  @Test
  void aRecordMissingRequiredAttributesIsNotACloudEvent() {
    var decoded = CloudEventKafkaBinding.decode(
        List.of(KafkaHeader.of("ce_specversion", "1.0"), KafkaHeader.of("ce_type", "t")), new byte[0]);
    var not = assertInstanceOf(CloudEventKafkaBinding.Decoded.NotACloudEvent.class, decoded);
    assertTrue(not.reason().contains("/id") && not.reason().contains("/source"), not.reason());
  }

  @Test
  void aStructuredModeRecordIsDecodedToo() {
    String envelope = "{\"specversion\":\"1.0\",\"id\":\"s-1\",\"source\":\"/other\","
        + "\"type\":\"retail.product.created\",\"traceparent\":\"00-x\",\"data\":{\"id\":\"p-9\"}}";
    var decoded = CloudEventKafkaBinding.decode(
        List.of(KafkaHeader.of("content-type", "application/cloudevents+json; charset=utf-8")),
        envelope.getBytes(StandardCharsets.UTF_8));
    CloudEvent e = assertInstanceOf(CloudEventKafkaBinding.Decoded.Event.class, decoded).event();
    assertEquals("s-1", e.id());
    assertEquals("retail.product.created", e.type());
    assertEquals(Map.of("traceparent", "00-x"), e.extensions());
    assertEquals("{\"id\":\"p-9\"}", e.data());
  }

  @Test
  void aStructuredModeRecordThatIsNotAnObjectOrCarriesBase64IsNotACloudEvent() {
    List<KafkaHeader> structured = List.of(KafkaHeader.of("content-type", "application/cloudevents+json"));
    assertInstanceOf(CloudEventKafkaBinding.Decoded.NotACloudEvent.class,
        CloudEventKafkaBinding.decode(structured, "[1,2]".getBytes(StandardCharsets.UTF_8)));
    assertInstanceOf(CloudEventKafkaBinding.Decoded.NotACloudEvent.class, CloudEventKafkaBinding.decode(structured,
        "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"data_base64\":\"AA==\"}"
            .getBytes(StandardCharsets.UTF_8)));
    var missingId = CloudEventKafkaBinding.decode(structured,
        "{\"specversion\":\"1.0\",\"source\":\"/s\",\"type\":\"t\"}".getBytes(StandardCharsets.UTF_8));
    assertTrue(assertInstanceOf(CloudEventKafkaBinding.Decoded.NotACloudEvent.class, missingId).reason().contains("/id"));
  }
}
