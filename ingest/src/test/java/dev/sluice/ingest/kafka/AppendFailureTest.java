package dev.sluice.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** Classification is by exception type, the way the Kafka producer reports each failure. */
class AppendFailureTest {
  @Test
  void unreachableBrokersAndExpiredBatchesAreRetryable() {
    assertEquals(AppendFailure.BROKER_UNREACHABLE,
        AppendFailure.classify(new TimeoutException("Topic retail not present in metadata after 500 ms."), false));
    assertEquals(AppendFailure.BROKER_UNREACHABLE, AppendFailure.classify(new NetworkException("x"), false));
    assertEquals(AppendFailure.BROKER_UNREACHABLE, AppendFailure.classify(new NotEnoughReplicasException("x"), false));
    assertTrue(AppendFailure.BROKER_UNREACHABLE.retryable());
  }

  @Test
  void aFullBufferIsNotMistakenForAnUnreachableBroker() {
    // BufferExhaustedException is a TimeoutException.
    assertEquals(AppendFailure.BUFFER_FULL,
        AppendFailure.classify(new BufferExhaustedException("Failed to allocate memory within 500 ms."), false));
  }

  @Test
  void refusalsARetryCannotFix() {
    assertEquals(AppendFailure.RECORD_TOO_LARGE, AppendFailure.classify(new RecordTooLargeException("x"), false));
    assertEquals(AppendFailure.REJECTED_BY_BROKER,
        AppendFailure.classify(new TopicAuthorizationException("x"), false));
    assertEquals(AppendFailure.REJECTED_BY_BROKER, AppendFailure.classify(new KafkaException("x"), false));
    assertFalse(AppendFailure.RECORD_TOO_LARGE.retryable());
    assertFalse(AppendFailure.REJECTED_BY_BROKER.retryable());
  }

  @Test
  void everythingFailsAsClosingOnceClosingStarted() {
    assertEquals(AppendFailure.CLOSING, AppendFailure.classify(new KafkaException("closed forcefully"), true));
    assertEquals(AppendFailure.CLOSING,
        AppendFailure.classify(new InterruptException(new InterruptedException()), false));
  }

  @Test
  void wrappersAreLookedThrough() {
    assertEquals(AppendFailure.BUFFER_FULL, AppendFailure.classify(
        new ExecutionException(new CompletionException(new BufferExhaustedException("x"))), false));
    assertEquals(AppendFailure.BACKPRESSURE,
        AppendFailure.classify(new AppendFailedException(AppendFailure.BACKPRESSURE, "full"), false));
  }

  @Test
  void labelsAreMetricTags() {
    assertEquals("broker_unreachable", AppendFailure.BROKER_UNREACHABLE.label());
    assertEquals("backpressure", AppendFailure.BACKPRESSURE.label());
  }
}
