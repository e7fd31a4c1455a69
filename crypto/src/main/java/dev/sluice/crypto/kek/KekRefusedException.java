package dev.sluice.crypto.kek;

/**
 * The KEK answered, and refused this process: no permission to use the key, the key disabled, scheduled for deletion,
 * deleted, or not a key for encryption. Nothing is wrong with the bytes asked about, and no retry ends it, only an
 * operator does: so it is neither a {@link java.security.GeneralSecurityException} (which would judge the data) nor a
 * plain outage. The key ring reports it as a denial ({@code KeyAccessDeniedException}): held like an outage, never
 * quarantined, and logged as needing a person. The message names the key's ARN and the KMS error code, no value.
 */
public class KekRefusedException extends RuntimeException {
  public KekRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
