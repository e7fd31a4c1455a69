package dev.sluice.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked") // assertInstanceOf on generic records
class CloudEventHttpReaderTest {
  private final CloudEventHttpReader reader = new CloudEventHttpReader();

  private static final String STRUCTURED = "application/cloudevents+json";

  private CloudEvent ok(Outcome<CloudEvent> outcome) {
    Outcome.Ok<CloudEvent> ok = assertInstanceOf(Outcome.Ok.class, outcome, () -> "expected a CloudEvent, got " + outcome);
    return ok.value();
  }

  private <R extends Rejection> R rejected(Outcome<CloudEvent> outcome, Class<R> kind) {
    Outcome.Rejected<CloudEvent> r = assertInstanceOf(Outcome.Rejected.class, outcome, () -> "expected a rejection");
    return assertInstanceOf(kind, r.rejection());
  }

  private static List<String> pointers(List<Violation> violations) {
    return violations.stream().map(Violation::pointer).collect(Collectors.toList());
  }

  private Outcome<CloudEvent> structured(String body) {
    return reader.read(HttpEventRequest.of(STRUCTURED, Map.of(), body));
  }

  private Outcome<CloudEvent> binary(String contentType, Map<String, String> headers, String body) {
    return reader.read(HttpEventRequest.of(contentType, headers, body));
  }

  private static Map<String, String> ceHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("ce-specversion", "1.0");
    h.put("ce-id", "evt-1");
    h.put("ce-source", "/tests");
    h.put("ce-type", "retail.product.created");
    return h;
  }

  @Nested
  class Structured {
    @Test
    void readsAttributesAndReencodesDataCompactly() {
      CloudEvent e = ok(structured("""
          {
            "specversion": "1.0", "id": "evt-1", "source": "/shop", "type": "retail.product.created",
            "subject": "p-1", "time": "2024-05-01T10:00:00Z", "dataschema": "https://example.com/s.json",
            "datacontenttype": "application/json",
            "data": { "id" : "p-1",  "price": 12.50, "tags": [ "a", true, null, 1e3 ], "big": 123456789012345678901234567890 }
          }
          """));
      assertEquals("1.0", e.specversion());
      assertEquals("evt-1", e.id());
      assertEquals("/shop", e.source());
      assertEquals("retail.product.created", e.type());
      assertEquals("p-1", e.subject());
      assertEquals("2024-05-01T10:00:00Z", e.time());
      assertEquals("https://example.com/s.json", e.dataschema());
      assertEquals("application/json", e.datacontenttype());
      // Compact, member order kept, number text kept exactly (no 12.5, no 1000.0, no lost digits).
      assertEquals("{\"id\":\"p-1\",\"price\":12.50,\"tags\":[\"a\",true,null,1e3],"
          + "\"big\":123456789012345678901234567890}", e.data());
      assertTrue(e.extensions().isEmpty());
    }

    @Test
    void dataMayBeAnyJsonValue() {
      CloudEvent e = ok(structured("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\","
          + "\"data\":\"caf\\u00e9 \\\"quoted\\\"\"}"));
      assertEquals("\"café \\\"quoted\\\"\"", e.data());
    }

    @Test
    void absentDataIsJsonNull() {
      CloudEvent e = ok(structured("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\"}"));
      assertEquals("null", e.data());
    }

    @Test
    void extensionsBecomeStrings() {
      CloudEvent e = ok(structured("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\","
          + "\"traceparent\":\"00-abc\",\"attempt\":3,\"ratio\":0.25,\"replay\":false,\"gone\":null,\"data\":{}}"));
      assertEquals(Map.of("traceparent", "00-abc", "attempt", "3", "ratio", "0.25", "replay", "false"),
          e.extensions());
    }

    @Test
    void structuredExtensionValuesMustBeScalars() {
      Rejection.InvalidAttributes r = rejected(structured("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\","
          + "\"type\":\"t\",\"nested\":{\"a\":1},\"data\":{}}"), Rejection.InvalidAttributes.class);
      assertEquals(List.of("/nested"), pointers(r.violations()));
      assertEquals("type", r.violations().get(0).keyword());
    }

    @Test
    void missingRequiredAttributesAreListedWithExactPointers() {
      Rejection.InvalidAttributes r =
          rejected(structured("{\"specversion\":\"1.0\",\"data\":{}}"), Rejection.InvalidAttributes.class);
      assertEquals(List.of("/id", "/type", "/source"), pointers(r.violations()));
      r.violations().forEach(v -> assertEquals("required", v.keyword()));
    }

    @Test
    void wrongSpecversionAndEmptyIdAndNonStringType() {
      Rejection.InvalidAttributes r = rejected(structured(
          "{\"specversion\":\"0.3\",\"id\":\"\",\"source\":\"s\",\"type\":7,\"data\":{}}"),
          Rejection.InvalidAttributes.class);
      Map<String, String> byPointer = r.violations().stream()
          .collect(Collectors.toMap(Violation::pointer, Violation::keyword));
      assertEquals(Map.of("/type", "type", "/specversion", "specversion", "/id", "minLength"), byPointer);
    }

    @Test
    void missingSpecversionIsAViolation() {
      Rejection.InvalidAttributes r = rejected(structured(
          "{\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"data\":{}}"), Rejection.InvalidAttributes.class);
      assertEquals(List.of("/specversion"), pointers(r.violations()));
    }

    @Test
    void dataBase64IsRefused() {
      Rejection.InvalidAttributes r = rejected(structured(
          "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"data_base64\":\"e30=\"}"),
          Rejection.InvalidAttributes.class);
      assertEquals(List.of("/data_base64"), pointers(r.violations()));
      assertTrue(r.violations().get(0).message().contains("only JSON data"));
    }

    @Test
    void nonJsonDatacontenttypeIsRefused() {
      Rejection.InvalidAttributes r = rejected(structured("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\","
          + "\"type\":\"t\",\"datacontenttype\":\"text/plain\",\"data\":\"x\"}"), Rejection.InvalidAttributes.class);
      assertEquals(List.of("/datacontenttype"), pointers(r.violations()));
    }

    @Test
    void badJsonIsMalformed() {
      rejected(structured("{\"specversion\":\"1.0\",\"id\":"), Rejection.Malformed.class);
      rejected(structured("{'specversion':'1.0'}"), Rejection.Malformed.class);
      rejected(structured(""), Rejection.Malformed.class);
      rejected(structured("{\"specversion\":\"1.0\",\"data\":{\"x\":1,}}"), Rejection.Malformed.class);
    }


    @Test
    void loneSurrogateIsMalformed() {
      rejected(structured("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\","
          + "\"data\":\"\\ud800\"}"), Rejection.Malformed.class);
    }

    @Test
    void malformedDetailDoesNotEchoTheBody() {
      Rejection.Malformed m = rejected(structured("{\"secret-token-xyz\" 1}"), Rejection.Malformed.class);
      assertTrue(m.detail().contains("line 1"), m.detail());
      assertTrue(!m.detail().contains("secret-token-xyz"), m.detail());
    }

    @Test
    void jsonThatIsNotAnObjectIsNotACloudEvent() {
      rejected(structured("[1,2,3]"), Rejection.NotACloudEvent.class);
      rejected(structured("\"hello\""), Rejection.NotACloudEvent.class);
    }

    @Test
    void contentTypeParametersAndCaseAreIgnored() {
      CloudEvent e = ok(reader.read(HttpEventRequest.of("Application/CloudEvents+JSON; charset=utf-8", Map.of(),
          "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"data\":1}")));
      assertEquals("1", e.data());
    }
  }

  @Nested
  class Binary {
    @Test
    void readsHeadersAndBody() {
      Map<String, String> h = ceHeaders();
      h.put("CE-Subject", "p-1");
      h.put("ce-time", "2024-05-01T10:00:00+02:00");
      h.put("ce-dataschema", "urn:schema:1");
      h.put("ce-TraceParent", "00-abc");
      h.put("x-other", "ignored");
      CloudEvent e = ok(binary("application/json; charset=utf-8", h, "{ \"id\": \"p-1\", \"price\": 1.0 }"));
      assertEquals("1.0", e.specversion());
      assertEquals("evt-1", e.id());
      assertEquals("/tests", e.source());
      assertEquals("retail.product.created", e.type());
      assertEquals("p-1", e.subject());
      assertEquals("2024-05-01T10:00:00+02:00", e.time());
      assertEquals("urn:schema:1", e.dataschema());
      assertEquals("application/json; charset=utf-8", e.datacontenttype());
      assertEquals(Map.of("traceparent", "00-abc"), e.extensions());
      assertEquals("{\"id\":\"p-1\",\"price\":1.0}", e.data());
    }

    @Test
    void anyPlusJsonBodyIsAccepted() {
      CloudEvent e = ok(binary("application/vnd.shop+json", ceHeaders(), "[1]"));
      assertEquals("[1]", e.data());
      assertEquals("application/vnd.shop+json", e.datacontenttype());
    }

    @Test
    void headerValuesArePercentDecoded() {
      Map<String, String> h = ceHeaders();
      h.put("ce-subject", "caf%C3%A9 50%25");
      assertEquals("café 50%", ok(binary("application/json", h, "{}")).subject());
    }

    @Test
    void brokenPercentEncodingIsAViolation() {
      Map<String, String> h = ceHeaders();
      h.put("ce-subject", "50%zz");
      Rejection.InvalidAttributes r = rejected(binary("application/json", h, "{}"), Rejection.InvalidAttributes.class);
      assertEquals(List.of("/subject"), pointers(r.violations()));
    }

    @Test
    void jsonWithoutSpecversionIsNotACloudEvent() {
      Map<String, String> h = ceHeaders();
      h.remove("ce-specversion");
      Rejection.NotACloudEvent r =
          rejected(binary("application/json", h, "{\"id\":\"p-1\"}"), Rejection.NotACloudEvent.class);
      assertTrue(r.detail().contains("ce-specversion"), r.detail());
    }

    @Test
    void missingAttributesHaveExactPointers() {
      Rejection.InvalidAttributes r = rejected(
          binary("application/json", Map.of("ce-specversion", "1.0", "ce-type", "t"), "{}"),
          Rejection.InvalidAttributes.class);
      assertEquals(List.of("/id", "/source"), pointers(r.violations()));
    }

    @Test
    void invalidTimeAndExtensionName() {
      Map<String, String> h = ceHeaders();
      h.put("ce-time", "yesterday");
      h.put("ce-this-is-not-valid", "x");
      Rejection.InvalidAttributes r = rejected(binary("application/json", h, "{}"), Rejection.InvalidAttributes.class);
      assertEquals(List.of("/time", "/this-is-not-valid"), pointers(r.violations()));
    }

    @Test
    void badJsonBodyIsMalformedAtData() {
      Rejection.Malformed m = rejected(binary("application/json", ceHeaders(), "{\"id\":"), Rejection.Malformed.class);
      assertEquals(List.of("/data"), pointers(m.violations()));
      Rejection.Malformed empty = rejected(binary("application/json", ceHeaders(), ""), Rejection.Malformed.class);
      assertEquals(List.of("/data"), pointers(empty.violations()));
    }

    @Test
    void invalidUtf8BodyIsRefusedWithItsOffset() {
      byte[] body = {'"', (byte) 0xC3, (byte) 0x28, '"'};
      assertEquals(1, rejected(reader.read(new HttpEventRequest("application/json",
          List.copyOf(ceHeaders().entrySet()), body)), Rejection.InvalidUtf8.class).byteOffset());
    }

    @Test
    void otherMediaTypesAreUnsupported() {
      assertEquals("text/plain",
          rejected(binary("text/plain", ceHeaders(), "{}"), Rejection.UnsupportedMediaType.class).contentType());
      assertNull(rejected(binary(null, ceHeaders(), "{}"), Rejection.UnsupportedMediaType.class).contentType());
      rejected(binary("application/x-www-form-urlencoded", ceHeaders(), "a=b"), Rejection.UnsupportedMediaType.class);
      rejected(binary("application/cloudevents-batch+json", Map.of(), "[]"), Rejection.UnsupportedMediaType.class);
    }

    @Test
    void bodyBytesAreDecodedAsUtf8() {
      byte[] body = "{\"name\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8);
      CloudEvent e = ok(reader.read(new HttpEventRequest("application/json", List.copyOf(ceHeaders().entrySet()), body)));
      assertEquals("{\"name\":\"Zoë\"}", e.data());
    }
  }

  /** Reading as sent, before the CloudEvents rules, and with an operator's data in place of the producer's. */
  @Nested
  class Decode {
    private ReadEvent read(String contentType, Map<String, String> headers, String body, Optional<String> data) {
      Outcome<ReadEvent> outcome = reader.decode(HttpEventRequest.of(contentType, headers, body), data);
      Outcome.Ok<ReadEvent> ok = assertInstanceOf(Outcome.Ok.class, outcome, () -> "expected an event: " + outcome);
      return ok.value();
    }

    @Test
    void attributeProblemsOnlyTheReaderSeesAreReadViolationsNotRefusals() {
      ReadEvent e = read(STRUCTURED, Map.of(), "{\"specversion\":\"1.0\",\"id\":7,\"source\":\"/s\",\"type\":\"t\","
          + "\"data\":{}}", Optional.empty());
      assertEquals(ReadEvent.ContentMode.STRUCTURED, e.mode());
      assertEquals(List.of("/id"), pointers(e.readViolations()));
      assertNull(e.event().id());
      assertEquals(List.of("/id"), pointers(rejected(e.checked(), Rejection.InvalidAttributes.class).violations()));
    }

    @Test
    void replacementDataSwapsOnlyTheDataOfAStructuredEvent() {
      ReadEvent e = read(STRUCTURED, Map.of(), "{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"/s\",\"type\":\"t\","
          + "\"tenant\":\"acme\",\"data\":{\"price\":-1}}", Optional.of("{\"price\": 2.50}"));
      assertEquals("{\"price\":2.50}", e.event().data(), "read with the same rules: compact, exact number text");
      assertEquals("e", e.event().id());
      assertEquals(Map.of("tenant", "acme"), e.event().extensions());
    }

    @Test
    void inBinaryModeReplacementDataTakesThePlaceOfABodyThatIsNotJson() {
      ReadEvent e = read("application/json", ceHeaders(), "price: -1", Optional.of("{\"price\":1}"));
      assertEquals(ReadEvent.ContentMode.BINARY, e.mode());
      assertEquals("{\"price\":1}", e.event().data());
      assertEquals("evt-1", e.event().id());
    }

    @Test
    void replacementDataKeepsTheHardLimits() {
      String deep = "[".repeat(70) + "]".repeat(70);
      Outcome<ReadEvent> structured = reader.decode(HttpEventRequest.of(STRUCTURED, Map.of(),
          "{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"/s\",\"type\":\"t\"}"), Optional.of(deep));
      Outcome.Rejected<ReadEvent> r = assertInstanceOf(Outcome.Rejected.class, structured);
      assertTrue(assertInstanceOf(Rejection.NestingTooDeep.class, r.rejection()).pointer().startsWith("/data/0"));
    }
  }
}
