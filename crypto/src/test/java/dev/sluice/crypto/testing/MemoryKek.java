package dev.sluice.crypto.testing;

import com.google.crypto.tink.Aead;
import dev.sluice.crypto.Keysets;
import dev.sluice.crypto.kek.Kek;
import java.security.GeneralSecurityException;

/** A KEK held in memory: a real Tink AES256_GCM key, without the file (LocalKekTest covers the file). */
public final class MemoryKek implements Kek {
  private final Aead aead;

  public MemoryKek() {
    try {
      this.aead = Keysets.aead(Keysets.newAes256Gcm());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String uri() {
    return "memory:test";
  }

  @Override
  public byte[] wrap(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
    return aead.encrypt(plaintext, associatedData);
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] associatedData) throws GeneralSecurityException {
    return aead.decrypt(wrapped, associatedData);
  }
}
