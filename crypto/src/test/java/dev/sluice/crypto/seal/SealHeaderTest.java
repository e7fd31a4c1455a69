package dev.sluice.crypto.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.crypto.keys.KeyVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SealHeaderTest {
  private static final KeyVersion KEY = new KeyVersion(1, 0x5e3a1f20);

  private static SealHeader.Parsed parse(String json) {
    return SealHeader.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String invalid(String json) {
    return assertInstanceOf(SealHeader.Parsed.Invalid.class, parse(json), json).reason();
  }

  @Test
  void encodesCompactJsonWithTheFieldsSorted() {
    SealHeader header = SealHeader.of("ph-1", KEY, List.of("/name", "/email"));
    assertEquals(List.of("/email", "/name"), header.fields());
    assertEquals("{\"v\":1,\"subject\":\"ph-1\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/email\",\"/name\"]}",
        new String(header.encode(), StandardCharsets.UTF_8));
  }

  @Test
  void parsesWhatItEncodesIncludingSubjectsAndPointersThatNeedEscaping() {
    SealHeader header = SealHeader.of("Zoë \"Z\" \\ 7", new KeyVersion(42, 0xfffffffe),
        List.of("/a~1b", "/tags/0", "/m~0n/\"q\""));
    assertEquals(header, assertInstanceOf(SealHeader.Parsed.Ok.class, SealHeader.parse(header.encode())).header());
  }

  @Test
  void encodesByteForByteAsJacksonWould() throws Exception {
    // The header is written by hand; what it writes must not change with that: the same bytes Jackson's compact
    // generator gives, for texts with quotes, backslashes, control characters (short and \\u00XX escapes) and
    // characters beyond ASCII.
    List<String> fields = List.of("/a\"b", "/back\\slash", "/ctl\b\t\n\f\r\u0001\u001f", "/caf\u00e9/\u65e5\u672c",
        "/del\u007f");
    SealHeader header = SealHeader.of("Zo\u00eb \"Z\" \\ 7 \u20ac", new KeyVersion(42, 0xfffffffe), fields);
    java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
    try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory()
        .createGenerator(expected)) {
      g.writeStartObject();
      g.writeNumberField("v", 1);
      g.writeStringField("subject", header.subject());
      g.writeStringField("key", header.key().text());
      g.writeArrayFieldStart("fields");
      for (String field : header.fields()) {
        g.writeString(field);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    assertEquals(new String(expected.toByteArray(), StandardCharsets.UTF_8),
        new String(header.encode(), StandardCharsets.UTF_8));
    assertEquals(header, assertInstanceOf(SealHeader.Parsed.Ok.class, SealHeader.parse(header.encode())).header());
  }

  @Test
  void membersMayComeInAnyOrder() {
    SealHeader header = assertInstanceOf(SealHeader.Parsed.Ok.class,
        parse("{\"fields\":[\"/email\"],\"key\":\"3.0000000a\",\"subject\":\"7\",\"v\":1}")).header();
    assertEquals(new SealHeader("7", new KeyVersion(3, 10), List.of("/email")), header);
  }

  @Test
  void refusesAnythingButExactlyTheFourMembersWithTheirTypes() {
    String ok = "\"subject\":\"ph-1\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/email\"]";
    invalid("[1]");
    invalid("\"v\"");
    invalid("{\"v\":1," + ok + ",\"extra\":true}");
    invalid("{\"v\":1,\"v\":1," + ok + "}");
    invalid("{" + ok + "}");
    invalid("{\"v\":2," + ok + "}");
    invalid("{\"v\":\"1\"," + ok + "}");
    invalid("{\"v\":1.0," + ok + "}");
    invalid("{\"v\":10000000000," + ok + "}");
    invalid("{\"v\":1,\"subject\":7,\"key\":\"1.5e3a1f20\",\"fields\":[\"/email\"]}");
    invalid("{\"v\":1,\"subject\":\"ph-1\",\"key\":1,\"fields\":[\"/email\"]}");
    invalid("{\"v\":1,\"subject\":\"ph-1\",\"key\":\"1.5e3a1f20\",\"fields\":\"/email\"}");
    invalid("{\"v\":1,\"subject\":\"ph-1\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/email\",2]}");
    invalid("{\"v\":1,\"subject\":\"ph-1\",\"key\":\"1.5e3a1f20\",\"fields\":[[\"/email\"]]}");
    invalid("{\"v\":1," + ok + "} {}");
    invalid("{\"v\":1," + ok);
    invalid("");
  }

  @Test
  void refusesFieldsThatAreEmptyUnsortedRepeatedOrNotPointers() {
    String head = "{\"v\":1,\"subject\":\"ph-1\",\"key\":\"1.5e3a1f20\",\"fields\":";
    invalid(head + "[]}");
    invalid(head + "[\"/name\",\"/email\"]}");
    invalid(head + "[\"/email\",\"/email\"]}");
    invalid(head + "[\"email\"]}");
    invalid(head + "[\"\"]}");
    invalid(head + "[\"/a~2\"]}");
    invalid(head + "[\"/a~\"]}");
  }

  @Test
  void refusesKeyVersionsNotInTheirOneSpelling() {
    for (String key : List.of("1.5e3a1f2", "1.5e3a1f200", "01.5e3a1f20", "0.5e3a1f20", "1.5E3A1F20", "-1.5e3a1f20",
        "1_5e3a1f20", ".5e3a1f20", "9999999999999999999.5e3a1f20", "12345678901234567890.5e3a1f20")) {
      invalid("{\"v\":1,\"subject\":\"ph-1\",\"key\":\"" + key + "\",\"fields\":[\"/email\"]}");
    }
  }

  @Test
  void refusesSubjectsThatAreEmptyTooLongOrHoldControlCharacters() {
    for (String subject : List.of("", "a".repeat(257), "ph\\n1", "ph\\u00001")) {
      invalid("{\"v\":1,\"subject\":\"" + subject + "\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/email\"]}");
    }
  }

  @Test
  void isBoundedInBytesAndFields() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < SealHeader.MAX_FIELDS + 1; i++) {
      many.add(String.format("\"/f%05d\"", i));
    }
    invalid("{\"v\":1,\"subject\":\"ph-1\",\"key\":\"1.5e3a1f20\",\"fields\":[" + String.join(",", many) + "]}");
    byte[] big = new byte[SealHeader.MAX_BYTES + 1];
    assertInstanceOf(SealHeader.Parsed.Invalid.class, SealHeader.parse(big));
    assertInstanceOf(SealHeader.Parsed.Invalid.class, SealHeader.parse(null));
  }

  @Test
  void reasonsNeverQuoteTheHeader() {
    String reason = invalid("{\"v\":1,\"subject\":\"zoe@example.com\",\"key\":\"zoe@example.com\","
        + "\"fields\":[\"/email\"]}");
    assertFalse(reason.contains("zoe@example.com"), reason);
    String malformed = invalid("{\"v\":1,\"subject\":\"zoe@example.com\" \"key\"}");
    assertFalse(malformed.contains("zoe@example.com"), malformed);
  }

  @Test
  void theConstructorRefusesWhatParseRefuses() {
    assertThrows(IllegalArgumentException.class, () -> new SealHeader("ph-1", KEY, List.of("/name", "/email")));
    assertThrows(IllegalArgumentException.class, () -> SealHeader.of("ph-1", KEY, List.of()));
    assertThrows(IllegalArgumentException.class, () -> SealHeader.of("", KEY, List.of("/email")));
  }
}
