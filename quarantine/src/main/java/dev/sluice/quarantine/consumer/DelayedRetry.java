package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.retry.BackoffPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The second tier: after the in-place attempts fail with a retryable error, the event is recorded as RETRYING and
 * handed to the group's SQS retry queue, the offset is committed, and the partition moves on. The wrapper drains the
 * queue and calls the same handler once per delayed attempt.
 *
 * @param enabled when false, an event whose in-place attempts are used up is QUARANTINED as RETRIES_EXHAUSTED at once
 * @param backoff the waits between delayed attempts. Its {@code maxAttempts} counts the whole chain, the in-place
 *     round as attempt 1: 4 means the in-place round plus 3 delayed attempts. Its {@code maxElapsed} is the time
 *     budget from the event's first handler call; when the next attempt would start after it, the event is
 *     QUARANTINED as RETRIES_EXHAUSTED. Waits above SQS's 15-minute limit are chained.
 * @param receiveWait SQS long-poll wait for retry messages
 * @param resendAfter an item RETRYING for this long past its due time lost its message (a crash between the store
 *     write and the send): the wrapper sends it again; a duplicate is harmless (the item's attempt count is the
 *     version)
 */
public record DelayedRetry(boolean enabled, BackoffPolicy backoff, Duration receiveWait, Duration resendAfter) {

  public DelayedRetry {
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(receiveWait, "receiveWait");
    Objects.requireNonNull(resendAfter, "resendAfter");
    if (receiveWait.toSeconds() < 0 || receiveWait.toSeconds() > 20) {
      throw new IllegalArgumentException("retry receive wait must be 0-20 s (the SQS long-poll limit)");
    }
    if (resendAfter.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("retry resend delay must be at least 1 s");
    }
  }

  /**
   * Production default: 8 delayed attempts with decorrelated jitter from 10 s up to 1 h between attempts, within a
   * 24 h budget.
   */
  public static DelayedRetry defaults() {
    return of(8, BackoffPolicy.decorrelated(Duration.ofSeconds(10), Duration.ofHours(1), 1,
        Optional.of(Duration.ofHours(24))));
  }

  /** Dev default: 3 delayed attempts, 1 s up to 10 s apart, within 2 minutes. */
  public static DelayedRetry dev() {
    return of(3, BackoffPolicy.decorrelated(Duration.ofSeconds(1), Duration.ofSeconds(10), 1,
        Optional.of(Duration.ofMinutes(2))));
  }

  /** No delayed tier: in place, then dead. */
  public static DelayedRetry disabled() {
    return new DelayedRetry(false, BackoffPolicy.decorrelated(Duration.ofSeconds(1), Duration.ofSeconds(1), 1,
        Optional.empty()), Duration.ofSeconds(2), Duration.ofMinutes(5));
  }

  /** {@code retries} delayed attempts with the waits of {@code backoff} (its own attempt count is replaced). */
  public static DelayedRetry of(int retries, BackoffPolicy backoff) {
    if (retries < 0) {
      throw new IllegalArgumentException("delayed retries must be >= 0");
    }
    return new DelayedRetry(retries > 0, backoff.withMaxAttempts(retries + 1), Duration.ofSeconds(2),
        Duration.ofMinutes(5));
  }

  public DelayedRetry withReceiveWait(Duration wait) {
    return new DelayedRetry(enabled, backoff, wait, resendAfter);
  }

  public DelayedRetry withResendAfter(Duration after) {
    return new DelayedRetry(enabled, backoff, receiveWait, after);
  }

  /** How many delayed attempts follow the in-place round at most. */
  public int maxRetries() {
    return enabled ? backoff.maxAttempts() - 1 : 0;
  }
}
