package dev.sluice.crypto;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a process seals and unseals: where the keys live, which key-encryption key (KEK) wraps them, how long unwrapped
 * keys stay in memory, and how it calls the key table. Invalid values are refused when the record is made, so a
 * process with bad settings does not start.
 *
 * @param keysTable the DynamoDB table of wrapped keys ({@code sluice-keys})
 * @param kekUri the KEK, by URI: see {@code kek.Keks#fromUri}
 * @param dekCache the subject keys (DEKs) kept unwrapped; its TTL is how late a "forget" takes effect in a process
 * @param swkCache the stream wrapping keys kept unwrapped; its TTL is how often a process calls the KEK per stream
 * @param keyCalls how the key table and KEK are called on a cache miss
 * @param kmsEndpoint where an {@code aws-kms://} KEK is called instead of its region's public endpoint (a VPC
 *     endpoint, a test double); unused by another KEK
 * @param previousKekUri while the stream keys move to {@code kekUri} from another KEK, that one: keys it wrapped
 *     still unwrap (see {@code kek.KekWithPrevious}); empty otherwise
 */
public record CryptoSettings(String keysTable, String kekUri, CacheBound dekCache, CacheBound swkCache,
    KeyCalls keyCalls, Optional<URI> kmsEndpoint, Optional<String> previousKekUri) {
  public static final String DEFAULT_KEYS_TABLE = "sluice-keys";
  public static final CacheBound DEFAULT_DEK_CACHE = new CacheBound(Duration.ofMinutes(5), 20_000);
  public static final CacheBound DEFAULT_SWK_CACHE = new CacheBound(Duration.ofHours(1), 100);
  public static final KeyCalls DEFAULT_KEY_CALLS = new KeyCalls(Duration.ofSeconds(2), 16);

  public CryptoSettings {
    requireText(keysTable, "keysTable");
    requireText(kekUri, "kekUri");
    Objects.requireNonNull(dekCache, "dekCache");
    Objects.requireNonNull(swkCache, "swkCache");
    Objects.requireNonNull(keyCalls, "keyCalls");
    Objects.requireNonNull(kmsEndpoint, "kmsEndpoint");
    Objects.requireNonNull(previousKekUri, "previousKekUri");
    previousKekUri.ifPresent(p -> {
      requireText(p, "previousKekUri");
      if (p.equals(kekUri)) {
        throw new IllegalArgumentException("the previous KEK must not be the KEK itself (" + p + ")");
      }
    });
  }

  /** The defaults, with the KEK at {@code kekUri}. */
  public static CryptoSettings defaults(String kekUri) {
    return new CryptoSettings(DEFAULT_KEYS_TABLE, kekUri, DEFAULT_DEK_CACHE, DEFAULT_SWK_CACHE, DEFAULT_KEY_CALLS,
        Optional.empty(), Optional.empty());
  }

  public CryptoSettings withKeysTable(String table) {
    return new CryptoSettings(table, kekUri, dekCache, swkCache, keyCalls, kmsEndpoint, previousKekUri);
  }

  public CryptoSettings withDekCache(CacheBound bound) {
    return new CryptoSettings(keysTable, kekUri, bound, swkCache, keyCalls, kmsEndpoint, previousKekUri);
  }

  public CryptoSettings withSwkCache(CacheBound bound) {
    return new CryptoSettings(keysTable, kekUri, dekCache, bound, keyCalls, kmsEndpoint, previousKekUri);
  }

  public CryptoSettings withKeyCalls(KeyCalls calls) {
    return new CryptoSettings(keysTable, kekUri, dekCache, swkCache, calls, kmsEndpoint, previousKekUri);
  }

  public CryptoSettings withKmsEndpoint(URI endpoint) {
    return new CryptoSettings(keysTable, kekUri, dekCache, swkCache, keyCalls, Optional.of(endpoint),
        previousKekUri);
  }

  /** These settings while moving to {@code kekUri} from the KEK {@code previous}. */
  public CryptoSettings withPreviousKek(String previous) {
    return new CryptoSettings(keysTable, kekUri, dekCache, swkCache, keyCalls, kmsEndpoint, Optional.of(previous));
  }

  /** A cache of unwrapped keys: an entry lives at most {@code ttl} after it was loaded; at most {@code maxEntries}. */
  public record CacheBound(Duration ttl, long maxEntries) {
    public CacheBound {
      requirePositive(ttl, "ttl");
      if (maxEntries < 1 || maxEntries > 10_000_000) {
        throw new IllegalArgumentException("maxEntries must be within 1..10000000, not " + maxEntries);
      }
    }
  }

  /**
   * @param timeout how long a caller waits for a key it does not have; past it the key is unavailable (an ingress
   *     answers 503, a consumer holds the partition)
   * @param max key loads (table reads and writes, KEK calls) running at once in the process; more wait their turn
   */
  public record KeyCalls(Duration timeout, int max) {
    public KeyCalls {
      requirePositive(timeout, "timeout");
      if (max < 1 || max > 256) {
        throw new IllegalArgumentException("max key calls must be within 1..256, not " + max);
      }
    }
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, not " + d);
    }
  }
}
