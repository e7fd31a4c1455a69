package dev.sluice.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.Set;

/**
 * The one place Sluice touches Tink's registry: every key it makes is an AES256_GCM keyset with Tink's 5-byte prefix
 * (so a ciphertext names the key that made it), and every AEAD comes from here. {@link AeadConfig#register()} runs
 * once, when this class is first used, before any keyset is made or read.
 */
public final class Keysets {
  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Keysets() {}

  /** A new keyset holding one fresh AES256_GCM key, which is its primary. */
  public static KeysetHandle newAes256Gcm() {
    try {
      return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not make an AES256_GCM key", e);
    }
  }

  /** {@code keyset} with a fresh AES256_GCM key added as its primary; the keys it had still decrypt. */
  public static KeysetHandle withNewPrimary(KeysetHandle keyset) {
    try {
      return KeysetHandle.newBuilder(keyset)
          .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId()
              .makePrimary())
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not add a key to the keyset", e);
    }
  }

  /** The AEAD of {@code keyset}: encrypts with its primary, decrypts with whichever key the ciphertext names. */
  public static Aead aead(KeysetHandle keyset) throws GeneralSecurityException {
    return keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
  }

  /** The ids of the keys in {@code keyset}. */
  public static Set<Integer> keyIds(KeysetHandle keyset) {
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < keyset.size(); i++) {
      ids.add(keyset.getAt(i).getId());
    }
    return Set.copyOf(ids);
  }
}
