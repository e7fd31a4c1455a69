package dev.sluice.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.crypto.tink.Aead;
import dev.sluice.crypto.CryptoSettings;
import dev.sluice.crypto.Keysets;
import dev.sluice.crypto.testing.HandTicker;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyCacheTest {
  private static final CryptoSettings SETTINGS = CryptoSettings.defaults("local:/unused")
      .withDekCache(new CryptoSettings.CacheBound(Duration.ofMinutes(5), 3))
      .withSwkCache(new CryptoSettings.CacheBound(Duration.ofHours(1), 2));
  private static final SubjectRef PH1 = new SubjectRef("retail", "ph-1");

  private final HandTicker ticker = new HandTicker();
  private final KeyCache cache = new KeyCache(SETTINGS, ticker);

  private static SubjectKey key(SubjectRef subject, long generation) throws Exception {
    var keyset = Keysets.newAes256Gcm();
    return new SubjectKey(subject, generation, keyset.getPrimary().getId(), Set.of(keyset.getPrimary().getId()),
        Keysets.aead(keyset));
  }

  @Test
  void aSubjectKeyIsForgottenTheDekTtlAfterItWasPutHoweverOftenItIsRead() throws Exception {
    SubjectKey key = key(PH1, 1);
    cache.putDek(PH1, key);
    ticker.advance(Duration.ofMinutes(4));
    assertEquals(Optional.of(key), cache.dek(PH1), "read within the TTL");
    ticker.advance(Duration.ofSeconds(59));
    assertEquals(Optional.of(key), cache.dek(PH1), "reads do not extend it");
    ticker.advance(Duration.ofSeconds(1));
    assertEquals(Optional.empty(), cache.dek(PH1), "five minutes after it was put");
  }

  @Test
  void holdsAtMostTheDekBoundOfSubjects() throws Exception {
    for (int i = 0; i < 10; i++) {
      SubjectRef subject = new SubjectRef("retail", "ph-" + i);
      cache.putDek(subject, key(subject, 1));
    }
    assertEquals(3, cache.dekEntries());
  }

  @Test
  void aStreamKeyIsLoadedOnceAndAgainOnlyAfterTheSwkTtl() throws Exception {
    Aead aead = Keysets.aead(Keysets.newAes256Gcm());
    AtomicInteger loads = new AtomicInteger();
    assertSame(aead, cache.swk("retail", s -> {
      loads.incrementAndGet();
      return aead;
    }));
    cache.swk("retail", s -> {
      loads.incrementAndGet();
      return aead;
    });
    assertEquals(1, loads.get(), "cached");
    ticker.advance(Duration.ofHours(1));
    cache.swk("retail", s -> {
      loads.incrementAndGet();
      return aead;
    });
    assertEquals(2, loads.get(), "loaded again an hour later");
  }

  @Test
  void aStreamKeyThatIsNotThereIsNotCached() {
    AtomicInteger loads = new AtomicInteger();
    assertNull(cache.swk("retail", s -> {
      loads.incrementAndGet();
      return null;
    }));
    assertNull(cache.swk("retail", s -> {
      loads.incrementAndGet();
      return null;
    }));
    assertEquals(2, loads.get());
    assertEquals(0, cache.swkEntries());
  }

  @Test
  void aLoadThatReadTheRowBeforeAForgetDoesNotPutTheForgottenKeyBack() throws Exception {
    cache.putDek(PH1, new DekState.Erased(1));
    cache.putDek(PH1, key(PH1, 1));
    assertEquals(Optional.of(new DekState.Erased(1)), cache.dek(PH1), "the same generation, forgotten, stays");
    SubjectKey second = key(PH1, 2);
    cache.putDek(PH1, second);
    assertEquals(Optional.of(second), cache.dek(PH1), "a newer generation replaces it");
    cache.putDek(PH1, new DekState.Erased(1));
    assertEquals(Optional.of(second), cache.dek(PH1), "an older forget does not");
    cache.putDek(PH1, new DekState.Erased(2));
    assertEquals(Optional.of(new DekState.Erased(2)), cache.dek(PH1), "a forget of the cached generation does");
  }
}
