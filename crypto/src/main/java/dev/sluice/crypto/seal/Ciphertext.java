package dev.sluice.crypto.seal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
  private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
  /** Tink's prefix, IV and tag around an empty text. */
  static final int MIN_BYTES = 5 + 12 + 16;
  private static final byte TINK_PREFIX = 0x01;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  /** Each base64url character's 6 bits, by its Latin-1 byte; -1 for every other byte. */
  private static final byte[] SEXTETS = new byte[256];

  static {
    java.util.Arrays.fill(SEXTETS, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < alphabet.length(); i++) {
      SEXTETS[alphabet.charAt(i)] = (byte) i;
    }
  }

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
    return ofOwned(Objects.requireNonNull(tinkCiphertext, "tinkCiphertext").clone());
  }

  /** The same, taking the array as it is: for a ciphertext Tink has just made, which nothing else holds. */
  static Ciphertext ofOwned(byte[] tinkCiphertext) {
    Objects.requireNonNull(tinkCiphertext, "tinkCiphertext");
    if (tinkCiphertext.length < MIN_BYTES || tinkCiphertext[0] != TINK_PREFIX) {
      throw new IllegalArgumentException("not a Tink AES-GCM ciphertext with a Tink prefix");
    }
    return new Ciphertext(tinkCiphertext);
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
    return decode(value, PREFIX.length(), value.length());
  }

  /**
   * A value's exact JSON text (a span of the data) as a ciphertext: a JSON string with no escapes, since base64url
   * needs none.
   */
  public static Parsed parseJson(String jsonText) {
    return jsonText == null ? new Parsed.Invalid("is not a JSON string") : parseJson(jsonText, 0, jsonText.length());
  }

  /** The same for the span {@code [start, end)} of {@code data}, read in place (no copy of the span). */
  static Parsed parseJson(String data, int start, int end) {
    if (end - start < 2 || data.charAt(start) != '"' || data.charAt(end - 1) != '"') {
      return new Parsed.Invalid("is not a JSON string");
    }
    if (!data.startsWith(PREFIX, start + 1)) {
      return new Parsed.Invalid("does not start with " + PREFIX);
    }
    return decode(data, start + 1 + PREFIX.length(), end - 1);
  }

  /**
   * The unpadded base64url text {@code s[from, to)} decoded in one pass, read in place: every character checked, and
   * the bits the last one carries beyond the bytes (which another spelling of the same bytes sets) required to be
   * zero, so exactly one text is accepted per ciphertext. A consumer parses each sealed value of every record, so
   * this avoids the copies and the re-encoding a decoder plus a round-trip comparison would make.
   */
  private static Parsed decode(String s, int from, int to) {
    int chars = to - from;
    if (chars % 4 == 1) {
      return new Parsed.Invalid("is not unpadded base64url after " + PREFIX);
    }
    // The span's characters as bytes (array copies; any character beyond Latin-1 becomes '?', which is no base64url
    // character), then four characters to three bytes at a time: a consumer decodes every sealed value of every
    // record, and reading the String one charAt at a time profiled as a large part of unsealing.
    byte[] text = s.substring(from, to).getBytes(StandardCharsets.ISO_8859_1);
    byte[] decoded = new byte[chars / 4 * 3 + Math.max(0, chars % 4 - 1)];
    int out = 0;
    int whole = chars - chars % 4;
    for (int i = 0; i < whole; i += 4) {
      int a = SEXTETS[text[i] & 0xFF];
      int b = SEXTETS[text[i + 1] & 0xFF];
      int c = SEXTETS[text[i + 2] & 0xFF];
      int d = SEXTETS[text[i + 3] & 0xFF];
      if ((a | b | c | d) < 0) {
        return new Parsed.Invalid("is not unpadded base64url after " + PREFIX);
      }
      int bits = a << 18 | b << 12 | c << 6 | d;
      decoded[out++] = (byte) (bits >> 16);
      decoded[out++] = (byte) (bits >> 8);
      decoded[out++] = (byte) bits;
    }
    int pending = 0;
    int pendingBits = 0;
    for (int i = whole; i < chars; i++) {
      int sextet = SEXTETS[text[i] & 0xFF];
      if (sextet < 0) {
        return new Parsed.Invalid("is not unpadded base64url after " + PREFIX);
      }
      pending = pending << 6 | sextet;
      pendingBits += 6;
      if (pendingBits >= 8) {
        pendingBits -= 8;
        decoded[out++] = (byte) (pending >> pendingBits);
        pending &= (1 << pendingBits) - 1;
      }
    }
    if (pending != 0) {
      // Unused low bits set in the last character: another spelling of the same bytes.
      return new Parsed.Invalid("is not canonical base64url");
    }
    if (decoded.length < MIN_BYTES || decoded[0] != TINK_PREFIX) {
      return new Parsed.Invalid("is too short or lacks Tink's prefix");
    }
    return new Parsed.Ok(new Ciphertext(decoded));
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

  /** As JSON text, with its quotes: what stands in the data. Built in one buffer: the gateway makes one per value. */
  public String json() {
    byte[] encoded = ENCODER.encode(bytes);
    byte[] text = new byte[2 + PREFIX.length() + encoded.length];
    text[0] = '"';
    System.arraycopy(PREFIX_BYTES, 0, text, 1, PREFIX_BYTES.length);
    System.arraycopy(encoded, 0, text, 1 + PREFIX.length(), encoded.length);
    text[text.length - 1] = '"';
    return new String(text, StandardCharsets.US_ASCII);
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
