package dev.sluice.ingest.kafka;

import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Why an append did not end in an acknowledgement, as a value. Classified by exception type only (never by message
 * text). Each server maps it to its own answer; {@link #label()} is the metrics tag.
 *
 * <p>Only a {@link #retryable()} cause means "the event was not accepted, the same request may succeed later"; for
 * all of them the event may or may not have been written (an acknowledgement lost on the way looks the same as a
 * write that never happened), so a retry can duplicate it, and duplicates share their CloudEvent id.
 */
public enum AppendFailure {
  /** The broker did not answer in time: down, unreachable, no leader, not enough in-sync replicas. */
  BROKER_UNREACHABLE(true),
  /** The producer's buffer ({@code buffer.memory}) stayed full for {@code max.block.ms}: Kafka is slower than ingress. */
  BUFFER_FULL(true),
  /** Too many appends already wait for Kafka ({@code ProducerSafety}); refused at once, nothing was sent. */
  BACKPRESSURE(true),
  /** The append's time budget ran out before Kafka answered, e.g. while it waited behind slower sends. */
  TIMED_OUT(true),
  /** The appender is shutting down. */
  CLOSING(true),
  /** The record is larger than the producer or broker accepts; retrying the same event can never succeed. */
  RECORD_TOO_LARGE(false),
  /** Kafka refused the record for a reason a retry will not fix by itself (authorization, invalid topic, ...). */
  REJECTED_BY_BROKER(false);

  private final boolean retryable;

  AppendFailure(boolean retryable) {
    this.retryable = retryable;
  }

  /** True when the same request may succeed later without any change: answered 503 with Retry-After. */
  public boolean retryable() {
    return retryable;
  }

  /** The metrics tag value, e.g. {@code broker_unreachable}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Classifies a failure of {@code Producer.send} (thrown, or passed to its callback).
   *
   * @param closing whether the appender had started closing: then every failure is {@link #CLOSING}
   */
  public static AppendFailure classify(Throwable error, boolean closing) {
    if (closing) {
      return CLOSING;
    }
    Throwable e = unwrap(error);
    if (e instanceof AppendFailedException a) {
      return a.failure();
    }
    // BufferExhaustedException extends TimeoutException, so it must be tested first.
    if (e instanceof BufferExhaustedException) {
      return BUFFER_FULL;
    }
    // The broker's refusal of the batch a single record travels in says the same: the record does not fit.
    if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException) {
      return RECORD_TOO_LARGE;
    }
    // org.apache.kafka.common.errors.TimeoutException (metadata not available within max.block.ms, or the batch
    // expired after delivery.timeout.ms) is retriable, as are NotEnoughReplicas, NotLeaderOrFollower, Network...
    if (e instanceof RetriableException) {
      return BROKER_UNREACHABLE;
    }
    // The sending worker was interrupted: only happens when Vert.x shuts down.
    if (e instanceof InterruptException || e instanceof InterruptedException) {
      return CLOSING;
    }
    return REJECTED_BY_BROKER;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
