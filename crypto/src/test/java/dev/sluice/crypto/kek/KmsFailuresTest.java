package dev.sluice.crypto.kek;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kms.model.DependencyTimeoutException;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInternalException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/** The errors as the SDK builds them from KMS's answers (status and error code), sorted into the three kinds. */
class KmsFailuresTest {
  private static final KmsKeyArn KEY =
      KmsKeyArn.parse("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");

  @Test
  void anInvalidCiphertextOrAnotherKeysIsAboutTheBytes() {
    for (AwsServiceException bytes : new AwsServiceException[] {
        answer(InvalidCiphertextException.builder(), 400, "InvalidCiphertextException"),
        answer(IncorrectKeyException.builder(), 400, "IncorrectKeyException")}) {
      assertTrue(KmsFailures.aboutTheBytes(bytes), bytes.toString());
      assertFalse(KmsFailures.refuses(bytes), bytes.toString());
      GeneralSecurityException gse = KmsFailures.asBadCiphertext(KEY, bytes);
      assertSame(bytes, gse.getCause());
      assertTrue(gse.getMessage().contains(bytes.awsErrorDetails().errorCode()), gse.getMessage());
    }
  }

  @Test
  void aDenialADisabledOrDeletedKeyAreRefusalsNotTheBytes() {
    for (AwsServiceException refusal : new AwsServiceException[] {
        answer(KmsException.builder(), 400, "AccessDeniedException"),
        answer(KmsException.builder(), 403, "UnrecognizedClientException"),
        answer(DisabledException.builder(), 400, "DisabledException"),
        answer(KmsInvalidStateException.builder(), 400, "KMSInvalidStateException"),
        answer(NotFoundException.builder(), 400, "NotFoundException"),
        answer(InvalidKeyUsageException.builder(), 400, "InvalidKeyUsageException")}) {
      assertFalse(KmsFailures.aboutTheBytes(refusal), refusal.toString());
      RuntimeException thrown = KmsFailures.unusable(KEY, refusal);
      KekRefusedException refused = assertInstanceOf(KekRefusedException.class, thrown, refusal.toString());
      assertSame(refusal, refused.getCause());
      assertEquals("KMS key " + KEY.arn() + " refused this process (" + refusal.awsErrorDetails().errorCode() + ")",
          refused.getMessage());
    }
  }

  @Test
  void throttlingAndKmsErrorsAreOutagesLeftAsThrown() {
    for (AwsServiceException outage : new AwsServiceException[] {
        answer(KmsException.builder(), 400, "ThrottlingException"),
        answer(KmsInternalException.builder(), 500, "KMSInternalException"),
        answer(DependencyTimeoutException.builder(), 503, "DependencyTimeoutException"),
        answer(software.amazon.awssdk.services.kms.model.KeyUnavailableException.builder(), 500,
            "KeyUnavailableException"),
        answer(KmsException.builder(), 503, "ServiceUnavailable")}) {
      assertFalse(KmsFailures.aboutTheBytes(outage), outage.toString());
      assertSame(outage, KmsFailures.unusable(KEY, outage), outage.toString());
    }
  }

  @Test
  void theAssociatedDataTravelsAsBase64InOneContextEntryAndNoneAsNoContext() {
    byte[] ad = "sluice-swk|orders".getBytes(StandardCharsets.UTF_8);
    assertEquals(Map.of("sluice-aad", Base64.getEncoder().encodeToString(ad)), AwsKmsKek.context(ad));
    assertEquals(Map.of(), AwsKmsKek.context(new byte[0]));
  }

  private static AwsServiceException answer(AwsServiceException.Builder builder, int status, String code) {
    return builder.statusCode(status).message("from KMS")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("from KMS").build()).build();
  }
}
