package dev.sluice.gateway.dedup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The store key of an event: the SHA-256 of its ({@code source}, {@code id}), 64 hex digits. Hashing bounds every key
 * to 64 bytes whatever the producer sends (ids can be as long as the body allows), which bounds the in-process map's
 * memory per entry and stays far below DynamoDB's 2 KiB partition key limit. The source is length-prefixed, so that
 * ("a", "bc") and ("ab", "c") are different keys.
 */
final class DedupKey {
  private DedupKey() {}

  static String of(String source, String id) {
    String natural = source.length() + ":" + source + id;
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(natural.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
