package dev.sluice.quarantine.consumer;

import com.google.crypto.tink.KeysetHandle;
import dev.sluice.crypto.Keysets;
import dev.sluice.crypto.keys.KeyAccessDeniedException;
import dev.sluice.crypto.keys.KeyLookup;
import dev.sluice.crypto.keys.KeyUnavailableException;
import dev.sluice.crypto.keys.KeyVersion;
import dev.sluice.crypto.keys.SubjectKey;
import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.crypto.keys.SubjectRef;
import io.vertx.core.Future;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;

/**
 * Subject keys in memory (our own interface, so a test implementation): one key per subject, made on first encrypt;
 * a forget leaves the generation forgotten. It can be made to answer the next decrypts with an outage or a denial.
 * Answers at once, as a key ring answers from its cache.
 */
final class MemoryKeys implements SubjectKeys {
  private final Map<SubjectRef, SubjectKey> keys = new HashMap<>();
  private final Map<SubjectRef, Long> forgotten = new HashMap<>();
  /** How many more decrypts fail with an outage (or a denial, when {@link #denied}). */
  private int failing;
  private boolean denied;
  private int decrypts;

  @Override
  public Future<SubjectKey> forEncrypt(SubjectRef subject) {
    return Future.succeededFuture(keys.computeIfAbsent(subject, s -> newKey(s, forgotten.getOrDefault(s, 0L) + 1)));
  }

  @Override
  public Future<KeyLookup> forDecrypt(SubjectRef subject, KeyVersion version) {
    decrypts++;
    if (failing > 0) {
      failing--;
      return Future.failedFuture(denied ? new KeyAccessDeniedException("access denied (test)", null)
          : new KeyUnavailableException("the key table did not answer (test)"));
    }
    Long gone = forgotten.get(subject);
    if (gone != null && gone >= version.generation()) {
      return Future.succeededFuture(new KeyLookup.Forgotten(gone));
    }
    SubjectKey key = keys.get(subject);
    if (key == null) {
      return Future.succeededFuture(new KeyLookup.Missing());
    }
    if (!key.version().equals(version)) {
      return Future.succeededFuture(new KeyLookup.UnknownKeyVersion(version));
    }
    return Future.succeededFuture(new KeyLookup.Found(key));
  }

  /** How many decrypt keys were asked for. */
  int decrypts() {
    return decrypts;
  }

  /** Removes the subject's key: its values read as erased from now on. */
  void forget(SubjectRef subject) {
    SubjectKey key = keys.remove(subject);
    forgotten.put(subject, key == null ? 0L : key.generation());
  }

  /** The next {@code tries} decrypts fail with a {@link KeyUnavailableException}. */
  void outageFor(int tries) {
    failing = tries;
    denied = false;
  }

  /** The next {@code tries} decrypts fail with a {@link KeyAccessDeniedException}. */
  void deniedFor(int tries) {
    failing = tries;
    denied = true;
  }

  private static SubjectKey newKey(SubjectRef subject, long generation) {
    KeysetHandle keyset = Keysets.newAes256Gcm();
    try {
      return new SubjectKey(subject, generation, keyset.getPrimary().getId(), Keysets.keyIds(keyset),
          Keysets.aead(keyset));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
