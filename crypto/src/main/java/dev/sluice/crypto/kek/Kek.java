package dev.sluice.crypto.kek;

import com.google.crypto.tink.Aead;
import java.security.GeneralSecurityException;

/**
 * A key-encryption key (KEK): wraps and unwraps the stream wrapping keys, never data. Its key material stays where it
 * lives (a local keyset file in dev, AWS KMS in production); callers only hand it bytes. Rotating it must leave what it
 * wrapped before unwrappable.
 *
 * <p>Calls may block (a KMS call is a network call): the key ring makes them on worker threads. Failures are of three
 * kinds, which must not be confused: bytes that do not unwrap (not a ciphertext, another key's, other associated data)
 * are a {@link GeneralSecurityException}; a KEK that answers but refuses this process (no permission, the key disabled
 * or being deleted) is a {@link KekRefusedException}, which the ring reports as a denial; a failure to reach the KEK
 * (timeouts, throttling, the service's errors) is thrown as the implementation's own unchecked exception, an outage.
 * An outage or a refusal is never a {@link GeneralSecurityException}: that would judge the data for what is the
 * service's or the operator's problem.
 */
public interface Kek {
  /** Where the KEK lives, as configured ({@code local:<path>}, {@code aws-kms://...}); no secret in it. */
  String uri();

  /** {@code plaintext} encrypted and authenticated together with {@code associatedData}. */
  byte[] wrap(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException;

  /** What {@link #wrap} was given, if {@code wrapped} came from it with the same {@code associatedData}. */
  byte[] unwrap(byte[] wrapped, byte[] associatedData) throws GeneralSecurityException;

  /** This KEK as a Tink AEAD, which is what Tink encrypts a keyset with. */
  default Aead asAead() {
    Kek kek = this;
    return new Aead() {
      @Override
      public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
        return kek.wrap(plaintext, associatedData);
      }

      @Override
      public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        return kek.unwrap(ciphertext, associatedData);
      }
    };
  }
}
