package dev.sluice.crypto.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.crypto.keys.KeyVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link SealHeader#parse}, now its own reader, against the Jackson reading it replaced ({@link JacksonHeaderReading}):
 * on valid headers in every spelling JSON allows, on hostile texts, and on every truncation, deletion, substitution
 * and insertion of one byte in the valid ones, both must accept the same texts and read the same header from them,
 * except bytes that are not UTF-8, which Jackson sometimes read (a stray byte in a member name) and the reader refuses.
 */
class SealHeaderReaderTest {
  private static final String OK_REST = "\"subject\":\"ph-1\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/email\",\"/name\"]";

  /** Valid headers, each spelled otherwise than the compact form in some way. */
  private static final List<String> VALID = List.of(
      "{\"v\":1," + OK_REST + "}",
      " \t\r\n{ \"v\" : 1 , \"subject\" : \"ph-1\" , \"key\" : \"1.5e3a1f20\" , \"fields\" : [ \"/email\" , \"/name\" ] }"
          + " \n",
      "{\"fields\":[\"/a\"],\"key\":\"3.0000000a\",\"subject\":\"7\",\"v\":1}",
      "{\"\\u0076\":1,\"sub\\u006aect\":\"ph\\/1\",\"key\":\"1.5e3a1f20\",\"fields\":[\"\\/e\\u006Dail\"]}",
      "{\"v\":1,\"subject\":\"Zo\u00eb \\\"Z\\\" \\\\ 7 \u20ac \uD83D\uDE00\",\"key\":\"42.fffffffe\","
          + "\"fields\":[\"/a~1b\",\"/ctl\\b\\t\\n\\f\\r\\u0001\",\"/del\u007f\",\"/m~0n/\\\"q\\\"\",\"/tags/0\"]}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.00000000\",\"fields\":[\"/lone\\ud800\"]}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"9223372036854775807.00000001\",\"fields\":[\"/\"]}");

  /** Texts both must refuse. */
  private static final List<String> HOSTILE = List.of(
      "", " ", "{", "}", "{}", "[]", "null", "1", "\"v\"", "{\"v\":1," + OK_REST + "}}",
      "{\"v\":1," + OK_REST + "} {}", "{\"v\":1," + OK_REST + "}x", "{\"v\":1," + OK_REST + ",}",
      "{,\"v\":1," + OK_REST + "}", "{\"v\":1,," + OK_REST + "}", "{\"v\" 1," + OK_REST + "}",
      "{\"v\":1 " + OK_REST + "}", "{'v':1," + OK_REST + "}", "{v:1," + OK_REST + "}",
      "{\"v\":01," + OK_REST + "}", "{\"v\":1.0," + OK_REST + "}", "{\"v\":1e0," + OK_REST + "}",
      "{\"v\":1E0," + OK_REST + "}", "{\"v\":-1," + OK_REST + "}", "{\"v\":+1," + OK_REST + "}",
      "{\"v\":11," + OK_REST + "}", "{\"v\":1x," + OK_REST + "}", "{\"v\":true," + OK_REST + "}",
      "{\"v\":null," + OK_REST + "}", "{\"v\":[1]," + OK_REST + "}", "{\"v\":{}," + OK_REST + "}",
      "{\"v\":1,\"v\":1," + OK_REST + "}", "{\"v\":1,\"\\u0076\":1," + OK_REST + "}",
      "{\"v\":1," + OK_REST + ",\"subject\":\"ph-1\"}", "{\"v\":1," + OK_REST + ",\"x\":1}",
      "{\"v\":1,\"subject\":\"ph\u0001\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\"]}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\u0000\"]}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\\x\"]}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\\u00g0\"]}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\\u00\"]}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\\u\uff10\uff10\uff10\uff10\"]}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\\'\"]}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\",]}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[,\"/a\"]}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\" \"/b\"]}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[[\"/a\"]]}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[]}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/b\",\"/a\"]}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":\"/a\"}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5E3A1F20\",\"fields\":[\"/a\"]}",
      "{\"v\":1,\"subject\":1,\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\"]}",
      "{\"v\":1,\"subject\":\"\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\"]}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\"}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\"]/* c */}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\"]\u000b}",
      "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\"]}\u0000",
      "\u00a0{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\"]}");

  /** Bytes that JSON's grammar, UTF-8 or the header's own checks give a meaning to. */
  private static final byte[] PROBES = {'"', '\\', '{', '}', '[', ']', ':', ',', ' ', '\t', '\n', 0x00, 0x01, 0x7f,
      (byte) 0x80, (byte) 0xc3, (byte) 0xe9, (byte) 0xff, '1', '0', '2', '-', '.', 'e', 'u', '/', '~', 'a', 'v'};

  @Test
  void readsEveryValidSpellingAsJacksonDid() {
    for (String text : VALID) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      SealHeader expected = JacksonHeaderReading.parse(bytes).orElseThrow(() -> new AssertionError(text));
      assertEquals(expected, assertInstanceOf(SealHeader.Parsed.Ok.class, SealHeader.parse(bytes), text).header());
    }
  }

  @Test
  void refusesWhatJacksonRefused() {
    for (String text : HOSTILE) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      assertEquals(Optional.empty(), JacksonHeaderReading.parse(bytes), text);
      assertInstanceOf(SealHeader.Parsed.Invalid.class, SealHeader.parse(bytes), text);
    }
  }

  @Test
  void agreesWithJacksonOnEveryOneByteChangeOfValidHeaders() {
    int compared = 0;
    int accepted = 0;
    int stricter = 0;
    for (String text : VALID) {
      for (byte[] variant : oneByteChanges(text.getBytes(StandardCharsets.UTF_8))) {
        Optional<SealHeader> expected = JacksonHeaderReading.parse(variant);
        SealHeader.Parsed actual = SealHeader.parse(variant);
        String shown = HexFormat.of().formatHex(variant);
        if (expected.isPresent() && !isUtf8(variant)) {
          // Jackson read some bytes that are not UTF-8 (a stray byte in a member name, say) as a valid header; the
          // reader refuses them: the one way it is stricter.
          stricter++;
          assertInstanceOf(SealHeader.Parsed.Invalid.class, actual, shown);
        } else if (expected.isPresent()) {
          accepted++;
          assertEquals(expected.get(), assertInstanceOf(SealHeader.Parsed.Ok.class, actual, shown).header(), shown);
        } else {
          assertInstanceOf(SealHeader.Parsed.Invalid.class, actual, shown);
        }
        compared++;
      }
    }
    // The variants reach both verdicts (a whitespace inserted, a field's letter changed, still sorted): the
    // comparison is not only of refusals.
    assertTrue(compared > 10_000 && accepted > 500 && stricter < compared / 100,
        compared + " compared, " + accepted + " accepted, " + stricter + " refused only for not being UTF-8");
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  @Test
  void isStricterThanJacksonOnlyAboutTheEncoding() {
    byte[] strayByte = "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\"]}"
        .getBytes(StandardCharsets.UTF_8);
    byte[] inName = new byte[strayByte.length + 1];
    inName[0] = '{';
    inName[1] = '"';
    inName[2] = (byte) 0xff;
    System.arraycopy(strayByte, 2, inName, 3, strayByte.length - 2);
    assertInstanceOf(SealHeader.Parsed.Invalid.class, SealHeader.parse(inName));
    String compact = "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a\"]}";
    byte[] utf8 = compact.getBytes(StandardCharsets.UTF_8);
    byte[] bom = new byte[utf8.length + 3];
    bom[0] = (byte) 0xef;
    bom[1] = (byte) 0xbb;
    bom[2] = (byte) 0xbf;
    System.arraycopy(utf8, 0, bom, 3, utf8.length);
    assertTrue(JacksonHeaderReading.parse(bom).isPresent());
    assertInstanceOf(SealHeader.Parsed.Invalid.class, SealHeader.parse(bom));
    byte[] utf16 = compact.getBytes(StandardCharsets.UTF_16BE);
    assertTrue(JacksonHeaderReading.parse(utf16).isPresent());
    assertInstanceOf(SealHeader.Parsed.Invalid.class, SealHeader.parse(utf16));
    // "/a" then an overlong two-byte NUL (C0 80) and an encoded surrogate (ED A0 80): not UTF-8.
    for (byte[] odd : List.of(new byte[] {(byte) 0xc0, (byte) 0x80}, new byte[] {(byte) 0xed, (byte) 0xa0,
        (byte) 0x80})) {
      String head = "{\"v\":1,\"subject\":\"s\",\"key\":\"1.5e3a1f20\",\"fields\":[\"/a";
      byte[] h = head.getBytes(StandardCharsets.UTF_8);
      byte[] t = "\"]}".getBytes(StandardCharsets.UTF_8);
      byte[] bytes = new byte[h.length + odd.length + t.length];
      System.arraycopy(h, 0, bytes, 0, h.length);
      System.arraycopy(odd, 0, bytes, h.length, odd.length);
      System.arraycopy(t, 0, bytes, h.length + odd.length, t.length);
      assertInstanceOf(SealHeader.Parsed.Invalid.class, SealHeader.parse(bytes));
    }
  }

  @Test
  void readsWhatTheWriterWrites() {
    SealHeader header = SealHeader.of("Zo\u00eb \"Z\" \\ 7 \u20ac", new KeyVersion(42, 0xfffffffe),
        List.of("/a\"b", "/back\\slash", "/ctl\b\t\n\f\r\u0001\u001f", "/caf\u00e9/\u65e5\u672c", "/del\u007f"));
    byte[] bytes = header.encode();
    assertEquals(header, assertInstanceOf(SealHeader.Parsed.Ok.class, SealHeader.parse(bytes)).header());
    assertEquals(Optional.of(header), JacksonHeaderReading.parse(bytes));
  }

  /** Every prefix, and every deletion, substitution (by {@link #PROBES}) and insertion of one byte. */
  private static List<byte[]> oneByteChanges(byte[] b) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i <= b.length; i++) {
      out.add(java.util.Arrays.copyOf(b, i));
      if (i < b.length) {
        byte[] deleted = new byte[b.length - 1];
        System.arraycopy(b, 0, deleted, 0, i);
        System.arraycopy(b, i + 1, deleted, i, b.length - i - 1);
        out.add(deleted);
      }
      for (byte probe : PROBES) {
        if (i < b.length && b[i] != probe) {
          byte[] changed = b.clone();
          changed[i] = probe;
          out.add(changed);
        }
        byte[] inserted = new byte[b.length + 1];
        System.arraycopy(b, 0, inserted, 0, i);
        inserted[i] = probe;
        System.arraycopy(b, i, inserted, i + 1, b.length - i);
        out.add(inserted);
      }
    }
    return out;
  }
}
