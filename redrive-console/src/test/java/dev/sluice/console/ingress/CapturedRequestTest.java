package dev.sluice.console.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.ingress.CapturedRequest.ContentMode;
import dev.sluice.console.ingress.CapturedRequest.Decoded;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.KafkaHeader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CapturedRequestTest {
  private static final List<KafkaHeader> STRUCTURED =
      List.of(KafkaHeader.of("content-type", "application/cloudevents+json; charset=utf-8"));
  private static final String PRODUCT = "{\"id\":\"p-1\",\"price\":1.50,\"big\":12345678901234567890}";

  private static Decoded decode(List<KafkaHeader> headers, String body, Optional<String> replacement) {
    return CapturedRequest.decode(headers, body.getBytes(StandardCharsets.UTF_8), replacement);
  }

  private static Decoded.Event event(Decoded d) {
    return assertInstanceOf(Decoded.Event.class, d, d.toString());
  }

  private static List<KafkaHeader> binaryHeaders(String... extra) {
    List<KafkaHeader> out = new java.util.ArrayList<>(List.of(
        KafkaHeader.of("content-type", "application/json"),
        KafkaHeader.of("ce-specversion", "1.0"),
        KafkaHeader.of("ce-id", "evt-1"),
        KafkaHeader.of("ce-source", "/shop%20front"),
        KafkaHeader.of("ce-type", "retail.product.created"),
        KafkaHeader.of("accept", "*/*")));
    for (int i = 0; i < extra.length; i += 2) {
      out.add(KafkaHeader.of(extra[i], extra[i + 1]));
    }
    return out;
  }

  @Test
  void structuredModeReadsTheWholeEventAndKeepsTheExactDataText() {
    String body = "{ \"specversion\": \"1.0\", \"id\": \"evt-1\", \"source\": \"/s\", \"type\": \"retail.product.created\","
        + " \"dataschema\": \"/v1/schemas/retail.product.created/versions/1\", \"subject\": null,"
        + " \"tenant\": \"acme\", \"priority\": 3, \"urgent\": true,"
        + " \"data\": { \"id\": \"p-1\", \"price\": 1.50, \"big\": 12345678901234567890 } }";
    Decoded.Event read = event(decode(STRUCTURED, body, Optional.empty()));
    CloudEvent e = read.event();
    assertEquals(ContentMode.STRUCTURED, read.mode());
    assertEquals("1.0", e.specversion());
    assertEquals("evt-1", e.id());
    assertEquals("/s", e.source());
    assertEquals("retail.product.created", e.type());
    assertEquals("/v1/schemas/retail.product.created/versions/1", e.dataschema());
    assertNull(e.subject(), "a null attribute is absent");
    assertNull(e.datacontenttype());
    assertEquals(Map.of("tenant", "acme", "priority", "3", "urgent", "true"), e.extensions());
    assertEquals(PRODUCT, e.data(), "compact, numbers exactly as sent, member order kept");
    assertTrue(read.readViolations().isEmpty());
  }

  @Test
  void replacementDataSwapsOnlyTheData() {
    String body = "{\"specversion\":\"1.0\",\"id\":\"evt-1\",\"source\":\"/s\",\"type\":\"t\",\"tenant\":\"acme\","
        + "\"data\":{\"price\":-1}}";
    CloudEvent e = event(decode(STRUCTURED, body, Optional.of("{\"price\":2}"))).event();
    assertEquals("{\"price\":2}", e.data());
    assertEquals("evt-1", e.id());
    assertEquals(Map.of("tenant", "acme"), e.extensions());
  }

  @Test
  void aStructuredEventWithoutDataHasJsonNullData() {
    assertEquals("null", event(decode(STRUCTURED, "{\"specversion\":\"1.0\",\"id\":\"i\"}", Optional.empty()))
        .event().data());
  }

  @Test
  void attributesOfTheWrongJsonTypeAreReadViolations() {
    Decoded.Event read = event(decode(STRUCTURED,
        "{\"specversion\":\"1.0\",\"id\":7,\"source\":\"/s\",\"type\":\"t\",\"nested\":{\"a\":1},"
            + "\"data_base64\":\"AAA=\",\"data\":{}}", Optional.empty()));
    assertEquals(List.of("/id", "/nested", "/data_base64"),
        read.readViolations().stream().map(Violation::pointer).toList());
    assertNull(read.event().id());
  }

  @Test
  void aStructuredBodyThatIsNotOneJsonObjectCannotBeReadEvenWithReplacementData() {
    for (String body : new String[] {"", "not json", "[1,2]", "{\"id\":\"a\"", "{\"id\":\"a\",\"id\":\"b\"}",
        "{\"id\":\"a\"} trailing", "{\"data\":\"\\ud800\"}"}) {
      assertInstanceOf(Decoded.Unreadable.class, decode(STRUCTURED, body, Optional.of("{}")), body);
    }
    assertInstanceOf(Decoded.Unreadable.class,
        CapturedRequest.decode(STRUCTURED, new byte[] {'{', (byte) 0xC3, '}'}, Optional.empty()), "not UTF-8");
  }

  @Test
  void binaryModeTakesAttributesFromCeHeadersAndTheBodyAsData() {
    Decoded.Event read = event(decode(binaryHeaders("ce-tenant", "acme", "ce-datacontenttype", "ignored"),
        " {\"id\": \"p-1\", \"price\": 1.50, \"big\": 12345678901234567890}\n", Optional.empty()));
    CloudEvent e = read.event();
    assertEquals(ContentMode.BINARY, read.mode());
    assertEquals("evt-1", e.id());
    assertEquals("/shop front", e.source(), "header values are percent-decoded");
    assertEquals("application/json", e.datacontenttype(), "the content type is the data content type");
    assertEquals(Map.of("tenant", "acme"), e.extensions());
    assertEquals(PRODUCT, e.data());
  }

  @Test
  void aBinaryBodyThatIsNotJsonNeedsReplacementData() {
    Decoded d = decode(binaryHeaders(), "price: -1", Optional.empty());
    assertTrue(assertInstanceOf(Decoded.Unreadable.class, d).detail().contains("replacement data"), d.toString());
    assertInstanceOf(Decoded.Unreadable.class, decode(binaryHeaders(), "", Optional.empty()));

    CloudEvent fixed = event(decode(binaryHeaders(), "price: -1", Optional.of("{\"price\":1}"))).event();
    assertEquals("{\"price\":1}", fixed.data());
    assertEquals("evt-1", fixed.id());
  }

  @Test
  void aRequestWithNeitherStructuredContentTypeNorCeSpecversionIsNotACloudEvent() {
    Decoded d = decode(List.of(KafkaHeader.of("content-type", "application/json")), "{}", Optional.of("{}"));
    assertTrue(assertInstanceOf(Decoded.Unreadable.class, d).detail().contains("ce-specversion"));
    assertInstanceOf(Decoded.Unreadable.class, decode(List.of(), "{}", Optional.empty()));
  }

  @Test
  void aBadlyEncodedHeaderIsAReadViolation() {
    Decoded.Event read = event(decode(binaryHeaders("ce-subject", "%zz"), "{}", Optional.empty()));
    assertEquals(List.of("/subject"), read.readViolations().stream().map(Violation::pointer).toList());
  }

  @Test
  void onlyAValidTraceparentIsCarriedOnWithItsTracestate() {
    String valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    assertEquals(List.of("traceparent=" + valid, "tracestate=vendor=1"),
        texts(CapturedRequest.traceHeaders(List.of(KafkaHeader.of("traceparent", valid),
            KafkaHeader.of("tracestate", "vendor=1")))));
    assertEquals(List.of(), CapturedRequest.traceHeaders(List.of(
        KafkaHeader.of("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
        KafkaHeader.of("tracestate", "vendor=1"))));
    assertEquals(List.of(), CapturedRequest.traceHeaders(List.of(KafkaHeader.of("traceparent", "garbage"))));
  }

  private static List<String> texts(List<KafkaHeader> headers) {
    return headers.stream().map(h -> h.key() + "=" + h.valueAsString()).toList();
  }
}
