package dev.sluice.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ingest.ReadEvent.ContentMode;
import dev.sluice.ingest.admit.TraceContext;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.KafkaHeader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A captured ingress reject read again: as the gateway reads a request, with an operator's data if given. */
@SuppressWarnings("unchecked") // assertInstanceOf on generic records
class CapturedRequestTest {
  private static final CloudEventHttpReader READER = new CloudEventHttpReader();
  private static final List<KafkaHeader> STRUCTURED =
      List.of(KafkaHeader.of("content-type", "application/cloudevents+json; charset=utf-8"));
  private static final String PRODUCT = "{\"id\":\"p-1\",\"price\":1.50,\"big\":12345678901234567890}";

  private static CapturedRequest captured(List<KafkaHeader> headers, String body, Optional<String> replacement) {
    return new CapturedRequest(headers, body.getBytes(StandardCharsets.UTF_8), replacement);
  }

  /** The request as read, before the CloudEvents rules: what the console shows. */
  private static ReadEvent event(List<KafkaHeader> headers, String body, Optional<String> replacement) {
    Outcome<ReadEvent> read = captured(headers, body, replacement).decode(READER);
    Outcome.Ok<ReadEvent> ok = assertInstanceOf(Outcome.Ok.class, read, read::toString);
    return ok.value();
  }

  /** Why the request, as ingest would read it for a redrive, cannot be read at all. */
  private static Rejection.Unreadable unreadable(CapturedRequest request) {
    Outcome<CloudEvent> read = request.read(READER);
    Outcome.Rejected<CloudEvent> r = assertInstanceOf(Outcome.Rejected.class, read, read::toString);
    return assertInstanceOf(Rejection.Unreadable.class, r.rejection());
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
    ReadEvent read = event(STRUCTURED, body, Optional.empty());
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
    CloudEvent e = event(STRUCTURED, body, Optional.of("{\"price\":2}")).event();
    assertEquals("{\"price\":2}", e.data());
    assertEquals("evt-1", e.id());
    assertEquals(Map.of("tenant", "acme"), e.extensions());
  }

  @Test
  void aStructuredEventWithoutDataHasJsonNullData() {
    assertEquals("null", event(STRUCTURED, "{\"specversion\":\"1.0\",\"id\":\"i\"}", Optional.empty()).event().data());
  }

  @Test
  void attributesOfTheWrongJsonTypeAreReadViolations() {
    ReadEvent read = event(STRUCTURED,
        "{\"specversion\":\"1.0\",\"id\":7,\"source\":\"/s\",\"type\":\"t\",\"nested\":{\"a\":1},"
            + "\"data_base64\":\"AAA=\",\"data\":{}}", Optional.empty());
    assertEquals(List.of("/id", "/nested", "/data_base64"),
        read.readViolations().stream().map(Violation::pointer).toList());
    assertNull(read.event().id());
  }

  @Test
  void aStructuredBodyThatIsNotOneJsonObjectCannotBeReadEvenWithReplacementData() {
    for (String body : new String[] {"", "not json", "[1,2]", "{\"id\":\"a\"", "{\"id\":\"a\",\"id\":\"b\"}",
        "{\"id\":\"a\"} trailing", "{\"data\":\"\\ud800\"}"}) {
      Rejection.Unreadable u = unreadable(captured(STRUCTURED, body, Optional.of("{}")));
      assertTrue(u.detail().contains("replacement data cannot make it readable"), body + ": " + u.detail());
    }
    unreadable(new CapturedRequest(STRUCTURED, new byte[] {'{', (byte) 0xC3, '}'}, Optional.empty()));
  }

  @Test
  void binaryModeTakesAttributesFromCeHeadersAndTheBodyAsData() {
    ReadEvent read = event(binaryHeaders("ce-tenant", "acme", "ce-datacontenttype", "ignored"),
        " {\"id\": \"p-1\", \"price\": 1.50, \"big\": 12345678901234567890}\n", Optional.empty());
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
    Rejection.Unreadable u = unreadable(captured(binaryHeaders(), "price: -1", Optional.empty()));
    assertTrue(u.detail().contains("replacement data"), u.detail());
    assertEquals(List.of("/data"), u.violations().stream().map(Violation::pointer).toList());
    unreadable(captured(binaryHeaders(), "", Optional.empty()));

    CloudEvent fixed = event(binaryHeaders(), "price: -1", Optional.of("{\"price\":1}")).event();
    assertEquals("{\"price\":1}", fixed.data());
    assertEquals("evt-1", fixed.id());
  }

  @Test
  void aRequestWithNeitherStructuredContentTypeNorCeSpecversionIsNotACloudEvent() {
    Rejection.Unreadable u = unreadable(
        captured(List.of(KafkaHeader.of("content-type", "application/json")), "{}", Optional.of("{}")));
    assertTrue(u.detail().contains("ce-specversion"), u.detail());
    unreadable(captured(List.of(), "{}", Optional.empty()));
  }

  @Test
  void aBadlyEncodedHeaderIsAReadViolation() {
    ReadEvent read = event(binaryHeaders("ce-subject", "%zz"), "{}", Optional.empty());
    assertEquals(List.of("/subject"), read.readViolations().stream().map(Violation::pointer).toList());
  }

  @Test
  void theConsoleReadsWithTheDefaultLimits() {
    Outcome.Ok<ReadEvent> ok = assertInstanceOf(Outcome.Ok.class,
        CapturedRequest.decode(binaryHeaders(), PRODUCT.getBytes(StandardCharsets.UTF_8)));
    assertEquals(PRODUCT, ok.value().event().data());
    String deep = "[".repeat(ReadLimits.DEFAULT_MAX_DEPTH) + "]".repeat(ReadLimits.DEFAULT_MAX_DEPTH);
    assertInstanceOf(Outcome.Rejected.class, CapturedRequest.decode(binaryHeaders(),
        deep.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void onlyAValidTraceparentIsCarriedOnWithItsTracestate() {
    String valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    assertEquals(List.of("traceparent=" + valid, "tracestate=vendor=1"),
        trace(List.of(KafkaHeader.of("traceparent", valid), KafkaHeader.of("tracestate", "vendor=1"))));
    assertEquals(List.of(), trace(List.of(
        KafkaHeader.of("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
        KafkaHeader.of("tracestate", "vendor=1"))));
    assertEquals(List.of(), trace(List.of(KafkaHeader.of("traceparent", "garbage"))));
  }

  /** The trace context a redrive carries on, read from the captured headers as ingest reads a request's. */
  private static List<String> trace(List<KafkaHeader> headers) {
    return TraceContext.fromHeaders(captured(headers, "", Optional.empty()).request().headers())
        .map(TraceContext::kafkaHeaders).orElse(List.of()).stream()
        .map(h -> h.key() + "=" + h.valueAsString()).toList();
  }
}
