package dev.sluice.crypto.kek;

import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec;

/**
 * A KEK in AWS KMS ({@code aws-kms://<key or alias ARN>}), for production: the key material never leaves KMS; wrapping
 * is a KMS Encrypt, unwrapping a KMS Decrypt, of a stream wrapping key (a small Tink keyset, far below KMS's 4 KiB).
 *
 * <p><b>Associated data</b> travels as the encryption context {@code {"sluice-aad": <base64 of the bytes>}} (none when
 * there are none), which KMS binds to the ciphertext as AES-GCM binds associated data: a wrapped key moved to another
 * stream does not decrypt. The context is written in the clear to CloudTrail; the key ring's associated data is the
 * stream name, nothing secret.
 *
 * <p><b>Whose ciphertext:</b> Decrypt names the configured key (so KMS answers {@code IncorrectKeyException} for a
 * ciphertext of another key, rather than decrypting it with any key this process may use), and the key KMS says it used
 * is checked again: a ciphertext of another key is a {@link GeneralSecurityException}.
 *
 * <p><b>Failures</b> as {@link KmsFailures} sorts them: the bytes ({@link GeneralSecurityException}), a refusal
 * ({@link KekRefusedException}: denied, disabled, pending deletion), or an outage (the SDK's exception).
 *
 * <p><b>Rotation</b> is KMS's: with automatic rotation on, KMS adds new key material under the same key and keeps the
 * old, so what was wrapped before still unwraps and nothing here changes. An alias pointed at another key is not a
 * rotation: what the old key wrapped no longer unwraps through the alias.
 *
 * <p>Calls block (they are network calls): the key ring makes them on its workers. Thread-safe; {@link #close} closes
 * the client.
 */
public final class AwsKmsKek implements Kek, AutoCloseable {
  static final String CONTEXT_KEY = "sluice-aad";

  private final KmsKeyArn key;
  private final KmsClient kms;
  private final Duration callTimeout;

  /** A KEK on {@code kms}, which this KEK closes; every call ends within {@code callTimeout}. */
  public AwsKmsKek(KmsKeyArn key, KmsClient kms, Duration callTimeout) {
    this.key = Objects.requireNonNull(key, "key");
    this.kms = Objects.requireNonNull(kms, "kms");
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
  }

  /** The KEK {@code key} names, on a client of its region made as {@code access} says. Makes no call. */
  public static AwsKmsKek open(KmsKeyArn key, KmsAccess access) {
    return new AwsKmsKek(key, access.client(key), access.callTimeout());
  }

  @Override
  public String uri() {
    return Keks.AWS_KMS + key.arn();
  }

  @Override
  public byte[] wrap(byte[] plaintext, byte[] associatedData) {
    try {
      return kms.encrypt(b -> b.keyId(key.arn())
          .plaintext(SdkBytes.fromByteArray(plaintext))
          .encryptionContext(context(associatedData))
          .encryptionAlgorithm(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT)
          .overrideConfiguration(this::timeout)).ciphertextBlob().asByteArray();
    } catch (AwsServiceException e) {
      throw KmsFailures.unusable(key, e);
    }
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] associatedData) throws GeneralSecurityException {
    DecryptResponse answer;
    try {
      answer = kms.decrypt(b -> b.keyId(key.arn())
          .ciphertextBlob(SdkBytes.fromByteArray(wrapped))
          .encryptionContext(context(associatedData))
          .encryptionAlgorithm(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT)
          .overrideConfiguration(this::timeout));
    } catch (AwsServiceException e) {
      if (KmsFailures.aboutTheBytes(e)) {
        throw KmsFailures.asBadCiphertext(key, e);
      }
      throw KmsFailures.unusable(key, e);
    }
    if (!key.issued(answer.keyId())) {
      throw new GeneralSecurityException("the ciphertext is of another KMS key than " + key);
    }
    return answer.plaintext().asByteArray();
  }

  @Override
  public void close() {
    kms.close();
  }

  /** The encryption context that carries {@code associatedData}; none for none. */
  static Map<String, String> context(byte[] associatedData) {
    if (associatedData == null || associatedData.length == 0) {
      return Map.of();
    }
    return Map.of(CONTEXT_KEY, Base64.getEncoder().encodeToString(associatedData));
  }

  private void timeout(AwsRequestOverrideConfiguration.Builder o) {
    o.apiCallTimeout(callTimeout);
  }
}
