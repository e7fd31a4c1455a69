package dev.sluice.crypto.keys;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.google.crypto.tink.Aead;
import dev.sluice.crypto.CryptoSettings;
import java.util.Optional;
import java.util.function.Function;

/**
 * The keys a process holds unwrapped: subject keys (or the knowledge that one was forgotten) by (stream, subject), and
 * stream wrapping keys by stream. Each cache is bounded in size and forgets an entry a TTL after it was loaded, however
 * often it is used: the DEK TTL is the longest a forget made elsewhere takes to reach this process.
 *
 * <p>Thread-safe. Maintenance (evictions) runs on the calling thread, so a test sees it done once a call returns.
 */
public final class KeyCache {
  private final Cache<SubjectRef, DekState> deks;
  private final Cache<String, Aead> swks;

  public KeyCache(CryptoSettings settings, Ticker ticker) {
    this.deks = cache(settings.dekCache(), ticker);
    this.swks = cache(settings.swkCache(), ticker);
  }

  /** A cache on the system's clock. */
  public static KeyCache of(CryptoSettings settings) {
    return new KeyCache(settings, Ticker.systemTicker());
  }

  private static <K, V> Cache<K, V> cache(CryptoSettings.CacheBound bound, Ticker ticker) {
    return Caffeine.newBuilder()
        .maximumSize(bound.maxEntries())
        .expireAfterWrite(bound.ttl())
        .ticker(ticker)
        .executor(Runnable::run)
        .build();
  }

  /** What this process knows of the subject's key, if it is cached. */
  public Optional<DekState> dek(SubjectRef subject) {
    return Optional.ofNullable(deks.getIfPresent(subject));
  }

  /**
   * Remembers {@code state} unless what is cached is newer: a later generation, or the same generation forgotten. A
   * load that read the row before a forget in this process must not put the forgotten key back.
   */
  public void putDek(SubjectRef subject, DekState state) {
    deks.asMap().merge(subject, state, (cached, loaded) -> newer(loaded, cached) ? loaded : cached);
  }

  private static boolean newer(DekState candidate, DekState than) {
    if (candidate.generation() != than.generation()) {
      return candidate.generation() > than.generation();
    }
    return candidate instanceof DekState.Erased || than instanceof SubjectKey;
  }

  /**
   * The stream's wrapping key: cached, or loaded by {@code load} (on the calling thread, which waits; so do other
   * threads asking for the same stream meanwhile) and cached unless it answered null.
   */
  public Aead swk(String stream, Function<String, Aead> load) {
    return swks.get(stream, load);
  }

  /** Entries held (after pending evictions), for metrics and tests. */
  public long dekEntries() {
    deks.cleanUp();
    return deks.estimatedSize();
  }

  public long swkEntries() {
    swks.cleanUp();
    return swks.estimatedSize();
  }
}
