package dev.sluice.crypto.keys;

import dev.sluice.crypto.kek.KekRefusedException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** What a failed key call is to the callers: a denial, or an outage. */
final class KeyFailures {
  private KeyFailures() {}

  /**
   * {@code failure} as a {@link KeyUnavailableException}: as it is if it is one already; a
   * {@link KeyAccessDeniedException} if an AWS service refused access anywhere in its causes (HTTP 403, or an
   * {@code AccessDenied...} error code) or the KEK refused this process ({@link KekRefusedException}: denied, or a KMS
   * key disabled or pending deletion, which only an operator ends); an outage otherwise.
   */
  static KeyUnavailableException classify(Throwable failure) {
    if (failure instanceof KeyUnavailableException known) {
      return known;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof KekRefusedException || (t instanceof AwsServiceException aws && deniesAccess(aws))) {
        return new KeyAccessDeniedException("the key table or the KEK refused access to this process", failure);
      }
    }
    return new KeyUnavailableException("the key table or the KEK could not be used: "
        + failure.getClass().getSimpleName(), failure);
  }

  private static boolean deniesAccess(AwsServiceException aws) {
    String code = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
    return aws.statusCode() == 403 || (code != null && code.startsWith("AccessDenied"));
  }
}
