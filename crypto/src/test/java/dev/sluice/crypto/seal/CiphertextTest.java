package dev.sluice.crypto.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CiphertextTest {
  /** A Tink-shaped ciphertext: prefix byte, key id 0x5e3a1f20, then IV, text and tag (random here). */
  private static byte[] tinkLike(int length) {
    byte[] bytes = new byte[length];
    new Random(7).nextBytes(bytes);
    bytes[0] = 0x01;
    bytes[1] = 0x5e;
    bytes[2] = 0x3a;
    bytes[3] = 0x1f;
    bytes[4] = 0x20;
    return bytes;
  }

  @Test
  void encodesAsPrefixAndUnpaddedBase64UrlAndParsesBackToTheSameBytes() {
    byte[] bytes = tinkLike(50);
    String value = Ciphertext.encode(bytes);
    assertTrue(value.startsWith("sluice:v1:"));
    assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), value.substring(10));
    Ciphertext parsed = assertInstanceOf(Ciphertext.Parsed.Ok.class, Ciphertext.parse(value)).ciphertext();
    assertArrayEquals(bytes, parsed.bytes());
    assertEquals(0x5e3a1f20, parsed.keyId(), "the key id is read from Tink's prefix");
    assertEquals("\"" + value + "\"", parsed.json());
    assertTrue(Ciphertext.isCiphertext(value));
  }

  @Test
  void everyLengthRoundTripsWhateverItsLastBase64Character() {
    for (int length = Ciphertext.MIN_BYTES; length < Ciphertext.MIN_BYTES + 4; length++) {
      byte[] bytes = tinkLike(length);
      assertArrayEquals(bytes, assertInstanceOf(Ciphertext.Parsed.Ok.class,
          Ciphertext.parse(Ciphertext.encode(bytes))).ciphertext().bytes(), "length " + length);
    }
  }

  @Test
  void parseJsonTakesTheQuotedTextAsItStandsInTheData() {
    String value = Ciphertext.encode(tinkLike(40));
    assertInstanceOf(Ciphertext.Parsed.Ok.class, Ciphertext.parseJson("\"" + value + "\""));
    assertInstanceOf(Ciphertext.Parsed.Invalid.class, Ciphertext.parseJson(value), "unquoted");
    assertInstanceOf(Ciphertext.Parsed.Invalid.class, Ciphertext.parseJson("\"\\u0073" + value.substring(1) + "\""),
        "an escaped spelling is not what the sealer writes");
    assertInstanceOf(Ciphertext.Parsed.Invalid.class, Ciphertext.parseJson("42"));
    assertInstanceOf(Ciphertext.Parsed.Invalid.class, Ciphertext.parseJson("\""));
  }

  @Test
  void anythingElseIsInvalidWithAReasonThatDoesNotQuoteIt() {
    String good = Ciphertext.encode(tinkLike(40));
    String secret = "zoe@example.com";
    List<String> bad = List.of(
        secret,
        "sluice:v2:" + good.substring(10),
        good + "=",
        good.substring(0, 12) + "+" + good.substring(13),
        good.substring(0, 12) + "/" + good.substring(13),
        "sluice:v1:" + secret,
        "sluice:v1:",
        "sluice:v1:A",
        Ciphertext.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[Ciphertext.MIN_BYTES - 1]),
        Ciphertext.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[40]));
    for (String text : bad) {
      Ciphertext.Parsed parsed = Ciphertext.parse(text);
      String reason = assertInstanceOf(Ciphertext.Parsed.Invalid.class, parsed, text).reason();
      assertFalse(reason.contains(secret), reason);
      assertFalse(Ciphertext.isCiphertext(text));
    }
    assertInstanceOf(Ciphertext.Parsed.Invalid.class, Ciphertext.parse(null));
  }

  @Test
  void aNonCanonicalSpellingOfTheSameBytesIsRefused() {
    // 34 bytes: the last base64 character carries 2 bits, so 4 spellings decode alike; only one is Sluice's.
    String value = Ciphertext.encode(tinkLike(34));
    char last = value.charAt(value.length() - 1);
    String alternative = value.substring(0, value.length() - 1) + (char) (last + 1);
    assertArrayEquals(Base64.getUrlDecoder().decode(value.substring(10)),
        Base64.getUrlDecoder().decode(alternative.substring(10)), "the same bytes, another spelling");
    assertInstanceOf(Ciphertext.Parsed.Invalid.class, Ciphertext.parse(alternative));
  }

  @Test
  void aTextOpensExactlyWhenItIsTheEncodersSpellingOfItsBytes() {
    // Every last character, for each length mod 3 (no unused bits, 4 of them, 2 of them): a text opens iff the JDK's
    // decoder reads it and its encoder spells those bytes the same way back, and then it opens to those bytes.
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int n = Ciphertext.MIN_BYTES; n < Ciphertext.MIN_BYTES + 3; n++) {
      String value = Ciphertext.encode(tinkLike(n));
      String head = value.substring(Ciphertext.PREFIX.length(), value.length() - 1);
      for (char last : alphabet.toCharArray()) {
        String encoded = head + last;
        byte[] decoded = Base64.getUrlDecoder().decode(encoded);
        boolean canonical = Base64.getUrlEncoder().withoutPadding().encodeToString(decoded).equals(encoded);
        Ciphertext.Parsed parsed = Ciphertext.parse(Ciphertext.PREFIX + encoded);
        Ciphertext.Parsed quoted = Ciphertext.parseJson("\"" + Ciphertext.PREFIX + encoded + "\"");
        if (canonical) {
          assertArrayEquals(decoded, assertInstanceOf(Ciphertext.Parsed.Ok.class, parsed).ciphertext().bytes());
          assertArrayEquals(decoded, assertInstanceOf(Ciphertext.Parsed.Ok.class, quoted).ciphertext().bytes());
        } else {
          assertInstanceOf(Ciphertext.Parsed.Invalid.class, parsed, n + " bytes, last " + last);
          assertInstanceOf(Ciphertext.Parsed.Invalid.class, quoted, n + " bytes, last " + last);
        }
      }
    }
  }

  @Test
  void ofRefusesBytesTinkDidNotMake() {
    assertThrows(IllegalArgumentException.class, () -> Ciphertext.of(new byte[Ciphertext.MIN_BYTES - 1]));
    byte[] rawPrefix = tinkLike(40);
    rawPrefix[0] = 0x00;
    assertThrows(IllegalArgumentException.class, () -> Ciphertext.of(rawPrefix));
  }

  @Test
  void equalBytesAreEqualCiphertextsAndToStringShowsOnlyTheKeyAndLength() {
    assertEquals(Ciphertext.of(tinkLike(40)), Ciphertext.of(tinkLike(40)));
    assertEquals("Ciphertext[key 5e3a1f20, 40 bytes]", Ciphertext.of(tinkLike(40)).toString());
  }
}
