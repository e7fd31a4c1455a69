package dev.sluice.crypto.keys;

import java.util.Optional;

/**
 * Which key sealed a record: the generation of the subject's key (1 when first made, one more after each forget and
 * re-creation) and the Tink id of the key within that generation's keyset. Written {@code <generation>.<id as 8 hex
 * digits>}, for example {@code 1.5e3a1f20}.
 */
public record KeyVersion(long generation, int keyId) {
  /** Generations are positive; a forgotten subject never seen before has a tombstone at 0, which seals nothing. */
  public KeyVersion {
    if (generation < 1) {
      throw new IllegalArgumentException("a key generation is positive, not " + generation);
    }
  }

  public String text() {
    String hex = Integer.toHexString(keyId);
    return generation + "." + "0".repeat(8 - hex.length()) + hex;
  }

  @Override
  public String toString() {
    return text();
  }

  /** The version {@code text} writes, or empty if {@code text} is not exactly in that form. */
  public static Optional<KeyVersion> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int dot = text.indexOf('.');
    // 1 to 19 decimal digits without a leading zero (a long), a dot, 8 lower-case hex digits.
    if (dot < 1 || dot > 19 || text.length() != dot + 9 || text.charAt(0) == '0') {
      return Optional.empty();
    }
    for (int i = 0; i < dot; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return Optional.empty();
      }
    }
    for (int i = dot + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return Optional.empty();
      }
    }
    long generation;
    try {
      generation = Long.parseLong(text.substring(0, dot));
    } catch (NumberFormatException tooLarge) {
      return Optional.empty();
    }
    return Optional.of(new KeyVersion(generation, Integer.parseUnsignedInt(text.substring(dot + 1), 16)));
  }
}
