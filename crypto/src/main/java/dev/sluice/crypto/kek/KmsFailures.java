package dev.sluice.crypto.kek;

import java.security.GeneralSecurityException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * What an error KMS answered is to a {@link Kek} caller, in three kinds (the {@link Kek} contract):
 *
 * <ul>
 *   <li><b>The bytes:</b> {@code InvalidCiphertextException} (not a ciphertext, or another encryption context: the
 *       associated data differs) and {@code IncorrectKeyException} (a ciphertext of another key) are a
 *       {@link GeneralSecurityException}, as a ciphertext Tink cannot open is.
 *   <li><b>A refusal:</b> access denied (HTTP 403 or an {@code AccessDenied...} code), {@code DisabledException} and
 *       {@code KMSInvalidStateException} (the key disabled, or pending deletion or import), {@code NotFoundException}
 *       (no such key in that account and region), {@code InvalidKeyUsageException} (a key not for ENCRYPT_DECRYPT) are
 *       a {@link KekRefusedException}: an operator's problem, which the key ring reports as a denial.
 *   <li><b>An outage:</b> everything else (throttling, KMS's 5xx, its {@code KeyUnavailableException} and dependency
 *       timeouts, and every client-side failure: refused connections, timeouts), left as the SDK threw it.
 * </ul>
 */
final class KmsFailures {
  private static final Set<Class<? extends AwsServiceException>> REFUSALS = Set.of(DisabledException.class,
      KmsInvalidStateException.class, NotFoundException.class, InvalidKeyUsageException.class);

  private KmsFailures() {}

  /** Whether {@code failure} says the bytes do not decrypt with this key and encryption context. */
  static boolean aboutTheBytes(AwsServiceException failure) {
    return failure instanceof InvalidCiphertextException || failure instanceof IncorrectKeyException;
  }

  /** {@code failure} as a {@link GeneralSecurityException}, for one {@link #aboutTheBytes} is true of. */
  static GeneralSecurityException asBadCiphertext(KmsKeyArn key, AwsServiceException failure) {
    return new GeneralSecurityException("KMS key " + key + " does not decrypt these bytes with this associated data ("
        + code(failure) + ")", failure);
  }

  /** A {@link KekRefusedException} for a refusal, else {@code failure} itself (an outage). */
  static RuntimeException unusable(KmsKeyArn key, AwsServiceException failure) {
    if (refuses(failure)) {
      return new KekRefusedException("KMS key " + key + " refused this process (" + code(failure) + ")", failure);
    }
    return failure;
  }

  static boolean refuses(AwsServiceException failure) {
    if (failure.statusCode() == 403) {
      return true;
    }
    String code = code(failure);
    return (code != null && code.startsWith("AccessDenied")) || REFUSALS.stream().anyMatch(c -> c.isInstance(failure));
  }

  private static String code(AwsServiceException failure) {
    return failure.awsErrorDetails() == null ? failure.getClass().getSimpleName()
        : failure.awsErrorDetails().errorCode();
  }
}
