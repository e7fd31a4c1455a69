package dev.sluice.ingest.kafka;

import java.util.Objects;

/**
 * The failure of an append Future: {@link #failure()} says why, as a value to map (never parse the message). The
 * message is for logs only; the Kafka error, when there is one, is the cause.
 */
public final class AppendFailedException extends RuntimeException {
  private final AppendFailure failure;

  public AppendFailedException(AppendFailure failure, String message, Throwable kafkaError) {
    // No stack trace: these are expected outcomes (a broker outage makes thousands of them), not bugs.
    super(message, kafkaError, false, false);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public AppendFailedException(AppendFailure failure, String message) {
    this(failure, message, null);
  }

  public AppendFailure failure() {
    return failure;
  }
}
