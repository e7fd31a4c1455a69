package dev.sluice.storekit.marks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The key under which a mark is stored: the SHA-256 of an event's id within a scope, 64 hex digits. The gateway's scope
 * is the event's {@code source}; a consumer's is its group (optionally narrowed by the source).
 *
 * <p>Hashing bounds every key to 64 bytes whatever the producer sent as id (ids can be as long as the body allows),
 * which fixes the in-process map's memory per entry and stays far below DynamoDB's 2 KiB partition-key limit. The scope
 * is length-prefixed, so that ("a", "bc") and ("ab", "c") are different keys.
 *
 * <p>The format is stored: keys already in DynamoDB are found again only while it stays exactly
 * {@code hex(sha256(utf8(scope.length() + ":" + scope + id)))}.
 */
public record StoreKey(String value) {
  public StoreKey {
    Objects.requireNonNull(value, "value");
  }

  /** The key of event {@code id} within {@code scope}. */
  public static StoreKey of(String scope, String id) {
    String natural = scope.length() + ":" + scope + id;
    try {
      return new StoreKey(HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(natural.getBytes(StandardCharsets.UTF_8))));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
