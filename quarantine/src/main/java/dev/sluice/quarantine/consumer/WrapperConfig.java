package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.retry.RetryClassifier;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How a wrapped consumer behaves.
 *
 * @param group the Kafka consumer group, also the owner of quarantine items and of a redrive queue
 * @param topics the topics it reads
 * @param backoff in-place retries of a failing handler
 * @param maxPollRecords records per poll; bounded so a batch's worst-case retries fit in {@code maxPollInterval}
 * @param maxPollInterval Kafka's {@code max.poll.interval.ms}: exceeding it would trigger a rebalance
 * @param handlerTimeout a handler Future that has not completed by then counts as a retryable failure
 * @param errorBackoff pause after a store or broker failure before the partition is read again
 * @param redriveWait SQS long-poll wait for redrive requests
 * @param redriveResendAfter an item REDRIVEN for longer than this with no outcome lost its SQS message (a console crash
 *     between its two writes, or a queue restarted without persistence): the wrapper sends it again. Must exceed the
 *     queue's visibility timeout, so a message still being worked on is never doubled.
 */
public record WrapperConfig(
    String group,
    Set<String> topics,
    BackoffPolicy backoff,
    RetryClassifier classifier,
    int maxPollRecords,
    Duration maxPollInterval,
    Duration handlerTimeout,
    Duration errorBackoff,
    Duration redriveWait,
    Duration redriveResendAfter) {

  public WrapperConfig {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(classifier, "classifier");
    topics = Set.copyOf(topics);
    if (group.isBlank()) {
      throw new IllegalArgumentException("consumer group must not be blank");
    }
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("a wrapped consumer needs at least one topic");
    }
    if (redriveResendAfter.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("redrive resend delay must be at least 1 s");
    }
    if (maxPollRecords < 1) {
      throw new IllegalArgumentException("max poll records must be at least 1");
    }
    if (redriveWait.toSeconds() < 0 || redriveWait.toSeconds() > 20) {
      throw new IllegalArgumentException("redrive wait must be 0-20 s (the SQS long-poll limit)");
    }
    // Records of a batch are handled one after another per partition, and the next poll waits for the batch: the
    // worst case must stay below max.poll.interval.ms or Kafka would evict the consumer mid-batch.
    long worstPerRecordMs = handlerTimeout.toMillis() * backoff.maxAttempts();
    for (int attempt = 2; attempt <= backoff.maxAttempts(); attempt++) {
      worstPerRecordMs += backoff.ceilingBeforeAttempt(attempt).toMillis();
    }
    if (worstPerRecordMs * maxPollRecords >= maxPollInterval.toMillis()) {
      throw new IllegalArgumentException("max poll records (" + maxPollRecords + ") x worst-case handling per record ("
          + worstPerRecordMs + " ms) must stay below max.poll.interval.ms (" + maxPollInterval.toMillis() + " ms)");
    }
  }

  /** Sensible defaults for a group reading some topics, with the given retry policy. */
  public static WrapperConfig of(String group, Set<String> topics, BackoffPolicy backoff) {
    return new WrapperConfig(group, topics, backoff, RetryClassifier.defaults(), 5, Duration.ofMinutes(5),
        Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(5));
  }
}
