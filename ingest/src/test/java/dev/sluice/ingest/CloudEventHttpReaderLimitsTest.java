package dev.sluice.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.event.CloudEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The hard limits on input, one nested class per row of the limits table (body size and slow clients are the HTTP
 * server's, see GatewayVerticleTest). Small limits make the edges visible: depth 4, numbers 10 characters, strings 300.
 */
@SuppressWarnings("unchecked") // assertInstanceOf on generic records
class CloudEventHttpReaderLimitsTest {
  private static final ReadLimits SMALL = new ReadLimits(4, 10, 300, 3);
  private final CloudEventHttpReader reader = new CloudEventHttpReader(SMALL);

  private static final String STRUCTURED = "application/cloudevents+json";
  private static final String ATTRS = "\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/s\",\"type\":\"t\"";

  private Outcome<CloudEvent> structured(String body) {
    return reader.read(HttpEventRequest.of(STRUCTURED, Map.of(), body));
  }

  private Outcome<CloudEvent> structured(byte[] body) {
    return reader.read(new HttpEventRequest(STRUCTURED, List.of(), body));
  }

  private Outcome<CloudEvent> binary(String data) {
    return reader.read(HttpEventRequest.of("application/json",
        Map.of("ce-specversion", "1.0", "ce-id", "e-1", "ce-source", "/s", "ce-type", "t"), data));
  }

  private static String event(String data) {
    return "{" + ATTRS + ",\"data\":" + data + "}";
  }

  private static CloudEvent ok(Outcome<CloudEvent> outcome) {
    Outcome.Ok<CloudEvent> ok = assertInstanceOf(Outcome.Ok.class, outcome, () -> "expected an event, got " + outcome);
    return ok.value();
  }

  private static <R extends Rejection> R rejected(Outcome<?> outcome, Class<R> kind) {
    Outcome.Rejected<?> r = assertInstanceOf(Outcome.Rejected.class, outcome, () -> "expected a rejection");
    return assertInstanceOf(kind, r.rejection());
  }

  @Nested
  class Nesting {
    @Test
    void upToTheLimitIsRead() {
      // event (1) > data object (2) > a: object (3) > b: array (4)
      assertEquals("{\"a\":{\"b\":[1]}}", ok(structured(event("{\"a\":{\"b\":[1]}}"))).data());
    }

    @Test
    void oneLevelMoreIsRefusedAtTheFirstContainerPastTheLimit() {
      Rejection.NestingTooDeep r =
          rejected(structured(event("{\"a\":{\"b\":[{\"c\":1}]}}")), Rejection.NestingTooDeep.class);
      assertEquals(4, r.limit());
      assertEquals("/data/a/b/0", r.pointer());
    }

    @Test
    void arraysCountLikeObjects() {
      assertEquals("/data/0/0/0",
          rejected(structured(event("[[[[1]]]]")), Rejection.NestingTooDeep.class).pointer());
    }

    @Test
    void inBinaryModeTheBodyIsDataAtLevelTwo() {
      assertEquals("{\"a\":{\"b\":[1]}}", ok(binary("{\"a\":{\"b\":[1]}}")).data());
      assertEquals("/data/a/b/0",
          rejected(binary("{\"a\":{\"b\":[{\"c\":1}]}}"), Rejection.NestingTooDeep.class).pointer());
    }

    @Test
    void extensionsAndIgnoredMembersAreBoundedToo() {
      // A non-scalar extension is a violation, but its content is still only read within the limits.
      assertEquals("/ext/a/b/0",
          rejected(structured("{" + ATTRS + ",\"ext\":{\"a\":{\"b\":[[1]]}}}"), Rejection.NestingTooDeep.class)
              .pointer());
    }

    @Test
    void aHostileDepthIsRefusedWithoutOverflowingTheStack() {
      String deep = "[".repeat(100_000) + "]".repeat(100_000);
      assertEquals("/data/0/0/0", rejected(structured(event(deep)), Rejection.NestingTooDeep.class).pointer());
      CloudEventHttpReader defaults = new CloudEventHttpReader();
      Rejection.NestingTooDeep r = rejected(defaults.read(HttpEventRequest.of(STRUCTURED, Map.of(), event(deep))),
          Rejection.NestingTooDeep.class);
      assertEquals(64, r.limit());
      assertEquals("/data" + "/0".repeat(63), r.pointer());
    }
  }

  @Nested
  class Numbers {
    @Test
    void upToTheLimitIsKeptExactly() {
      assertEquals("{\"n\":-1.2345e+6}", ok(structured(event("{\"n\":-1.2345e+6}"))).data());
    }

    @Test
    void longerNumbersAreRefusedWithTheirPointer() {
      Rejection.NumberTooLong r = rejected(structured(event("{\"n\":12345678901}")), Rejection.NumberTooLong.class);
      assertEquals(10, r.limit());
      assertEquals("/data/n", r.pointer());
      assertEquals("/data/1",
          rejected(structured(event("[1,0.000000001]")), Rejection.NumberTooLong.class).pointer());
    }

    @Test
    void aThousandDigitsAreRefusedBeforeAnyoneConvertsThem() {
      assertEquals("/data",
          rejected(structured(event("1" + "0".repeat(1000))), Rejection.NumberTooLong.class).pointer());
    }

    @Test
    void numericExtensionsAreBoundedToo() {
      assertEquals("/attempt", rejected(structured("{" + ATTRS + ",\"attempt\":123456789012}"),
          Rejection.NumberTooLong.class).pointer());
    }
  }

  @Nested
  class Strings {
    @Test
    void upToTheLimitIsRead() {
      String s = "x".repeat(300);
      assertEquals("{\"s\":\"" + s + "\"}", ok(structured(event("{\"s\":\"" + s + "\"}"))).data());
    }

    @Test
    void longerStringValuesAreRefused() {
      Rejection.StringTooLong r = rejected(structured(event("{\"s\":\"" + "x".repeat(301) + "\"}")),
          Rejection.StringTooLong.class);
      assertEquals(300, r.limit());
      assertEquals("/data/s", r.pointer());
      assertFalse(r.memberName());
    }

    @Test
    void theLimitCountsCharactersNotEscapes() {
      // 300 characters written as 6-byte escapes: within the limit.
      assertTrue(structured(event("\"" + "\\u00e9".repeat(300) + "\"")) instanceof Outcome.Ok);
    }

    @Test
    void longMemberNamesAreRefused() {
      String name = "k".repeat(301);
      Rejection.StringTooLong r =
          rejected(structured(event("{\"" + name + "\":1}")), Rejection.StringTooLong.class);
      assertEquals("/data/" + name, r.pointer());
      assertTrue(r.memberName());
    }

    @Test
    void attributesAreBoundedToo() {
      assertEquals("/subject", rejected(structured("{" + ATTRS + ",\"subject\":\"" + "x".repeat(301) + "\"}"),
          Rejection.StringTooLong.class).pointer());
    }
  }

  @Nested
  class Utf8 {
    private byte[] withBytes(String before, int[] bad, String after) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
      for (int b : bad) {
        out.write(b);
      }
      out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
      return out.toByteArray();
    }

    @Test
    void multiByteCharactersAreFine() {
      assertEquals("\"Zoë ☃ 😀\"", ok(structured(event("\"Zoë ☃ 😀\"").getBytes(StandardCharsets.UTF_8))).data());
    }

    @Test
    void anInvalidSequenceIsRefusedAtItsByteOffset() {
      String before = "{" + ATTRS + ",\"data\":\"é"; // é is two bytes: offsets count bytes, not characters
      int offset = before.getBytes(StandardCharsets.UTF_8).length;
      byte[][] bad = {
          withBytes(before, new int[] {0xC3, 0x28}, "\"}"), // a lead byte without its continuation
          withBytes(before, new int[] {0xC0, 0xAF}, "\"}"), // overlong encoding of '/'
          withBytes(before, new int[] {0xED, 0xA0, 0x80}, "\"}"), // a UTF-16 surrogate encoded in UTF-8
          withBytes(before, new int[] {0xFF}, "\"}"), // never valid in UTF-8
          withBytes(before, new int[] {0x80}, "\"}"), // a continuation byte alone
      };
      for (byte[] body : bad) {
        assertEquals(offset, rejected(structured(body), Rejection.InvalidUtf8.class).byteOffset());
      }
    }

    @Test
    void aSequenceCutOffAtTheEndIsRefused() {
      byte[] body = withBytes("{" + ATTRS + ",\"data\":\"", new int[] {0xE2, 0x82}, "");
      assertEquals(body.length - 2, rejected(structured(body), Rejection.InvalidUtf8.class).byteOffset());
    }

    @Test
    void latin1IsNotUtf8() {
      byte[] body = event("\"café\"").getBytes(StandardCharsets.ISO_8859_1);
      assertEquals(("{" + ATTRS + ",\"data\":\"caf").length(),
          rejected(structured(body), Rejection.InvalidUtf8.class).byteOffset());
    }

    @Test
    void utf16IsRefusedNotGuessed() {
      byte[] body = event("1").getBytes(StandardCharsets.UTF_16LE);
      assertEquals(1, rejected(structured(body), Rejection.InvalidUtf8.class).byteOffset());
    }

    @Test
    void binaryModeBodiesAreCheckedToo() {
      byte[] body = withBytes("{\"a\":\"", new int[] {0xC3}, "\"}");
      Outcome<CloudEvent> r = reader.read(new HttpEventRequest("application/json",
          List.copyOf(Map.of("ce-specversion", "1.0", "ce-id", "1", "ce-source", "/s", "ce-type", "t").entrySet()),
          body));
      assertEquals(6, rejected(r, Rejection.InvalidUtf8.class).byteOffset());
    }
  }

  @Nested
  class DuplicateKeys {
    @Test
    void aRepeatedAttributeIsRefused() {
      assertEquals("/id", rejected(structured("{" + ATTRS + ",\"id\":\"2\"}"), Rejection.DuplicateKey.class)
          .pointer());
    }

    @Test
    void aRepeatedDataMemberIsRefusedWhereverItIs() {
      assertEquals("/data/price", rejected(structured(event("{\"price\":1,\"price\":2}")),
          Rejection.DuplicateKey.class).pointer());
      assertEquals("/data/items/1/sku", rejected(structured(event(
          "{\"items\":[{\"sku\":1},{\"sku\":1,\"sku\":2}]}")), Rejection.DuplicateKey.class).pointer());
      assertEquals("/data/a", rejected(binary("{\"a\":1,\"a\":1}"), Rejection.DuplicateKey.class).pointer());
    }

    @Test
    void theSameNameInDifferentObjectsIsFine() {
      assertEquals("{\"id\":{\"id\":1},\"x\":[{\"id\":2},{\"id\":3}]}",
          ok(structured(event("{\"id\":{\"id\":1},\"x\":[{\"id\":2},{\"id\":3}]}"))).data());
    }
  }

  @Nested
  class TrailingContent {
    @Test
    void whitespaceAfterTheValueIsFine() {
      ok(structured(event("1") + " \r\n\t "));
      ok(binary("[1] \n"));
    }

    @Test
    void anythingElseIsRefusedAtItsOffset() {
      String body = event("1");
      assertEquals(body.length() + 1,
          rejected(structured(body + " trailing"), Rejection.TrailingContent.class).byteOffset());
      assertEquals(body.length(), rejected(structured(body + "{}"), Rejection.TrailingContent.class).byteOffset());
      assertEquals(body.length(), rejected(structured(body + "}"), Rejection.TrailingContent.class).byteOffset());
      assertEquals(4, rejected(binary("123 4"), Rejection.TrailingContent.class).byteOffset());
      assertEquals(7, rejected(binary("\"text\" x"), Rejection.TrailingContent.class).byteOffset());
    }

    @Test
    void afterANonObjectBodyItIsStillTrailingContent() {
      assertEquals(4, rejected(structured("[1] ,"), Rejection.TrailingContent.class).byteOffset());
    }
  }

  @Nested
  class MediaTypes {
    @Test
    void foreignMediaTypesAreUnsupported() {
      rejected(reader.read(HttpEventRequest.of("text/plain", Map.of(), "x")), Rejection.UnsupportedMediaType.class);
      rejected(reader.read(HttpEventRequest.of("application/xml", Map.of(), "<a/>")),
          Rejection.UnsupportedMediaType.class);
      rejected(reader.readBatch(HttpEventRequest.of(STRUCTURED, Map.of(), "[]")),
          Rejection.UnsupportedMediaType.class);
    }
  }
}
