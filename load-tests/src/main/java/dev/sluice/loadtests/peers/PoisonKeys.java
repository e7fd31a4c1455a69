package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.ProductRecords;
import java.nio.charset.StandardCharsets;

/**
 * Which records a handler rejects in the poison figure: every 10th, told by its key alone ({@code prefix-i} for the
 * i-th record written), so that the wrapper's handler and Spring Kafka's listener reject exactly the same records
 * without sharing any state.
 */
public final class PoisonKeys {
  public static final int PERCENT = 10;

  private PoisonKeys() {}

  /** The key of the {@code index}-th record of a topic whose keys start with {@code prefix}. */
  public static String key(String prefix, long index) {
    return prefix + "-" + index;
  }

  /** Whether the record with this key is poison; a key without an index after its last '-' is not. */
  public static boolean isPoison(String key) {
    if (key == null) {
      return false;
    }
    int dash = key.lastIndexOf('-');
    if (dash < 0 || dash == key.length() - 1) {
      return false;
    }
    try {
      return ProductRecords.isPoison(Long.parseLong(key.substring(dash + 1)), PERCENT);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  public static boolean isPoison(byte[] key) {
    return key != null && isPoison(new String(key, StandardCharsets.UTF_8));
  }
}
