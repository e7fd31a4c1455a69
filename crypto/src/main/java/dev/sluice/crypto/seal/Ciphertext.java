package dev.sluice.crypto.seal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A sealed value as it stands in the data: {@code "sluice:v1:"} and the Tink ciphertext in unpadded base64url. The
 * Tink ciphertext is AES256_GCM with Tink's prefix: a version byte {@code 0x01} and the 4-byte id of the key, then a
 * 12-byte IV, the encrypted text and a 16-byte tag.
 *
 * <p>Parsing is strict (exactly one encoding of each ciphertext is accepted) and never throws: a text that is not a
 * ciphertext is an {@link Parsed.Invalid} saying why, without quoting it.
 */
public final class Ciphertext {
  public static final String PREFIX = "sluice:v1:";
  /** Tink's prefix, IV and tag around an empty text. */
  static final int MIN_BYTES = 5 + 12 + 16;
  private static final byte TINK_PREFIX = 0x01;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final byte[] bytes;

  private Ciphertext(byte[] bytes) {
    this.bytes = bytes;
  }

  /** What parsing a text found. */
  public sealed interface Parsed {
    record Ok(Ciphertext ciphertext) implements Parsed {}

    record Invalid(String reason) implements Parsed {}
  }

  /** The ciphertext Tink made. */
  public static Ciphertext of(byte[] tinkCiphertext) {
    Objects.requireNonNull(tinkCiphertext, "tinkCiphertext");
    if (tinkCiphertext.length < MIN_BYTES || tinkCiphertext[0] != TINK_PREFIX) {
      throw new IllegalArgumentException("not a Tink AES-GCM ciphertext with a Tink prefix");
    }
    return new Ciphertext(tinkCiphertext.clone());
  }

  /** The value of a JSON string that stands for {@code tinkCiphertext}: {@code sluice:v1:...}. */
  public static String encode(byte[] tinkCiphertext) {
    return of(tinkCiphertext).value();
  }

  /** The value of a JSON string ({@code sluice:v1:...}, unquoted) as a ciphertext. */
  public static Parsed parse(String value) {
    if (value == null || !value.startsWith(PREFIX)) {
      return new Parsed.Invalid("does not start with " + PREFIX);
    }
    String encoded = value.substring(PREFIX.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      boolean base64url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
          || c == '_';
      if (!base64url) {
        return new Parsed.Invalid("is not unpadded base64url after " + PREFIX);
      }
    }
    byte[] decoded;
    try {
      decoded = DECODER.decode(encoded);
    } catch (IllegalArgumentException e) {
      return new Parsed.Invalid("is not unpadded base64url after " + PREFIX);
    }
    if (!ENCODER.encodeToString(decoded).equals(encoded)) {
      // Unused low bits set in the last character: another spelling of the same bytes.
      return new Parsed.Invalid("is not canonical base64url");
    }
    if (decoded.length < MIN_BYTES || decoded[0] != TINK_PREFIX) {
      return new Parsed.Invalid("is too short or lacks Tink's prefix");
    }
    return new Parsed.Ok(new Ciphertext(decoded));
  }

  /**
   * A value's exact JSON text (a span of the data) as a ciphertext: a JSON string with no escapes, since base64url
   * needs none.
   */
  public static Parsed parseJson(String jsonText) {
    if (jsonText == null || jsonText.length() < 2 || jsonText.charAt(0) != '"'
        || jsonText.charAt(jsonText.length() - 1) != '"') {
      return new Parsed.Invalid("is not a JSON string");
    }
    return parse(jsonText.substring(1, jsonText.length() - 1));
  }

  /** Whether {@code value} (a JSON string's value, unquoted) parses as a ciphertext. */
  public static boolean isCiphertext(String value) {
    return parse(value) instanceof Parsed.Ok;
  }

  /** The Tink ciphertext. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Without a copy, for decrypting in this package. */
  byte[] unsafeBytes() {
    return bytes;
  }

  /** The id of the Tink key that made it, from its prefix. */
  public int keyId() {
    return ByteBuffer.wrap(bytes, 1, 4).getInt();
  }

  /** As the value of a JSON string: {@code sluice:v1:...}. */
  public String value() {
    return PREFIX + ENCODER.encodeToString(bytes);
  }

  /** As JSON text, with its quotes: what stands in the data. */
  public String json() {
    return "\"" + value() + "\"";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ciphertext other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Ciphertext[key " + Integer.toHexString(keyId()) + ", " + bytes.length + " bytes]";
  }
}
