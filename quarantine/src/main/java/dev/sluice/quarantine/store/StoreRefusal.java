package dev.sluice.quarantine.store;

import java.util.Optional;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A write the store refuses for what it is, not for how the store is doing: trying it again can never succeed, so it
 * is no outage. Told apart by the SDK's exception type, error code and HTTP status, never by message text (which
 * DynamoDB and DynamoDB Local word differently, and may reword).
 */
public enum StoreRefusal {
  /**
   * Measured before writing: the item would be bigger than a DynamoDB item may be, so it is written without its
   * payload, which its Kafka record keeps ({@link PayloadInKafka}). No request is made that would be refused.
   */
  ITEM_TOO_LARGE,
  /** DynamoDB refused the request as invalid (ValidationException, or a transaction cancelled by a ValidationError). */
  VALIDATION,
  /** The request was bigger than DynamoDB takes (HTTP 413). */
  REQUEST_TOO_LARGE;

  /** Whether {@code failure} is a permanent refusal by DynamoDB, and which; empty for anything that may pass later. */
  public static Optional<StoreRefusal> of(Throwable failure) {
    Throwable e = failure;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof TransactionCanceledException cancelled) {
      // A transaction's items are judged one by one: one invalid item cancels it whole, with a ValidationError reason
      // for that item (the others say None); conflicts and failed conditions are no refusal.
      if (cancelled.hasCancellationReasons()) {
        for (CancellationReason r : cancelled.cancellationReasons()) {
          if ("ValidationError".equals(r.code())) {
            return Optional.of(VALIDATION);
          }
        }
      }
      return Optional.empty();
    }
    if (!(e instanceof AwsServiceException aws)) {
      return Optional.empty();
    }
    if (aws.statusCode() == 413) {
      return Optional.of(REQUEST_TOO_LARGE);
    }
    String code = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
    // Only the codes that describe the request itself: a 400 also answers throttling, expired credentials, a missing
    // table or a transaction conflict, which may all pass.
    if (aws.statusCode() == 400 && ("ValidationException".equals(code) || "SerializationException".equals(code))) {
      return Optional.of(VALIDATION);
    }
    return Optional.empty();
  }
}
