package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.retry.RetryClassifier;
import dev.sluice.quarantine.storm.StormBreaker;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How a wrapped consumer group behaves. Each group has its own, so each tier is configured per group.
 *
 * @param group the Kafka consumer group, also the owner of quarantine items and of its redrive and retry queues
 * @param topics the topics it reads
 * @param backoff tier 1, in place: the attempts made on the spot while the record's partition is paused (default
 *     {@link BackoffPolicy#defaults()}: 5 attempts, 1 s doubling to 30 s, full jitter)
 * @param classifier which handler failures are retried (default: all but {@code PoisonPill} and
 *     {@code IllegalArgumentException})
 * @param maxPollRecords records per poll, at most this many queued per partition (default 500, Kafka's). Handling never
 *     holds the poll loop (a busy partition is paused and polling goes on), so in-place retries, however long, never
 *     count against {@code maxPollInterval}
 * @param maxPollInterval Kafka's {@code max.poll.interval.ms}: exceeding it would trigger a rebalance (default 5 min)
 * @param handlerTimeout a handler Future that has not completed by then counts as a retryable failure (default 5 s)
 * @param errorBackoff first wait after a store, queue or broker failure; later waits double up to 30 times this, at
 *     most 30 s (default 1 s, so up to 30 s)
 * @param redriveWait SQS long-poll wait for redrive requests (default 2 s)
 * @param redriveResendAfter an item REDRIVEN for longer than this with no outcome lost its SQS message (a console crash
 *     between its two writes, or a queue restarted without persistence): the wrapper sends it again. Must exceed the
 *     queue's visibility timeout, so a message still being worked on is never doubled (default 5 min).
 * @param delayed tier 2, delayed and non-blocking (default {@link DelayedRetry#defaults()})
 * @param laneRefresh how often a partition's owner re-reads the open items it holds keys behind, to learn of
 *     retries, redrives and discards settled by other processes (default 5 s; the same process learns at once)
 * @param commitInterval how often progress is committed; a partition that was paused (its worker held records back)
 *     commits at once when its worker is idle again
 *     (default 1 s)
 * @param concurrency how many records are handled at once, per partition (of different keys) and per consumer
 *     (default {@link Concurrency#ordered()}: one at a time per partition, in offset order)
 * @param stormBreaker when one way of failing floods a partition, pause it instead of writing an item per record,
 *     until an operator acts (default {@link StormBreaker#off()}; on, the wrapper needs the storms table:
 *     {@code WrapperBuilder.storms})
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
    Duration redriveResendAfter,
    DelayedRetry delayed,
    Duration laneRefresh,
    Duration commitInterval,
    Concurrency concurrency,
    StormBreaker stormBreaker) {

  public WrapperConfig {
    // These settings are required: List.of refuses a null one, at once.
    List.of(group, backoff, classifier, delayed, laneRefresh, commitInterval, concurrency, stormBreaker);
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
    if (errorBackoff.isNegative() || errorBackoff.isZero()) {
      throw new IllegalArgumentException("error backoff must be positive");
    }
    if (laneRefresh.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException("lane refresh interval must be at least 100 ms");
    }
    if (commitInterval.compareTo(Duration.ofMillis(10)) < 0) {
      throw new IllegalArgumentException("commit interval must be at least 10 ms");
    }
  }

  /** The configuration as it was before the delayed tier: no delayed retries, default refresh and commit. */
  public WrapperConfig(String group, Set<String> topics, BackoffPolicy backoff, RetryClassifier classifier,
      int maxPollRecords, Duration maxPollInterval, Duration handlerTimeout, Duration errorBackoff,
      Duration redriveWait, Duration redriveResendAfter) {
    this(group, topics, backoff, classifier, maxPollRecords, maxPollInterval, handlerTimeout, errorBackoff,
        redriveWait, redriveResendAfter, DelayedRetry.disabled(), Duration.ofSeconds(5), Duration.ofSeconds(1),
        Concurrency.ordered(), StormBreaker.off());
  }

  /** The configuration as it was before concurrency: strictly in offset order within each partition. */
  public WrapperConfig(String group, Set<String> topics, BackoffPolicy backoff, RetryClassifier classifier,
      int maxPollRecords, Duration maxPollInterval, Duration handlerTimeout, Duration errorBackoff,
      Duration redriveWait, Duration redriveResendAfter, DelayedRetry delayed, Duration laneRefresh,
      Duration commitInterval) {
    this(group, topics, backoff, classifier, maxPollRecords, maxPollInterval, handlerTimeout, errorBackoff,
        redriveWait, redriveResendAfter, delayed, laneRefresh, commitInterval, Concurrency.ordered());
  }

  /** The configuration as it was before the storm breaker: every failure diverted one by one. */
  public WrapperConfig(String group, Set<String> topics, BackoffPolicy backoff, RetryClassifier classifier,
      int maxPollRecords, Duration maxPollInterval, Duration handlerTimeout, Duration errorBackoff,
      Duration redriveWait, Duration redriveResendAfter, DelayedRetry delayed, Duration laneRefresh,
      Duration commitInterval, Concurrency concurrency) {
    this(group, topics, backoff, classifier, maxPollRecords, maxPollInterval, handlerTimeout, errorBackoff,
        redriveWait, redriveResendAfter, delayed, laneRefresh, commitInterval, concurrency, StormBreaker.off());
  }

  /** Sensible defaults for a group reading some topics, with the given in-place policy and the default delayed tier. */
  public static WrapperConfig of(String group, Set<String> topics, BackoffPolicy backoff) {
    return new WrapperConfig(group, topics, backoff, RetryClassifier.defaults(), 500, Duration.ofMinutes(5),
        Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(5),
        DelayedRetry.defaults(), Duration.ofSeconds(5), Duration.ofSeconds(1), Concurrency.ordered(),
        StormBreaker.off());
  }

  /**
   * This configuration with some settings changed: {@code change} sets fields of a {@link Draft} that starts as a
   * copy of this one, e.g. {@code config.with(d -> d.errorBackoff = Duration.ofMillis(200))}, and the result is
   * checked as every configuration is.
   */
  public WrapperConfig with(Consumer<Draft> change) {
    Draft draft = new Draft();
    change.accept(draft);
    return draft.config();
  }

  public WrapperConfig withDelayed(DelayedRetry tier) {
    return with(d -> d.delayed = tier);
  }

  public WrapperConfig withClassifier(RetryClassifier newClassifier) {
    return with(d -> d.classifier = newClassifier);
  }

  public WrapperConfig withLaneRefresh(Duration interval) {
    return with(d -> d.laneRefresh = interval);
  }

  public WrapperConfig withConcurrency(Concurrency limits) {
    return with(d -> d.concurrency = limits);
  }

  public WrapperConfig withStormBreaker(StormBreaker breaker) {
    return with(d -> d.stormBreaker = breaker);
  }

  public WrapperConfig withErrorBackoff(Duration first) {
    return with(d -> d.errorBackoff = first);
  }

  /**
   * Waits between tries of a store or queue call that failed: from {@code errorBackoff}, doubling, with full jitter,
   * up to 30 times {@code errorBackoff} but at most 30 s (never below {@code errorBackoff}), so a consumer notices
   * within that time that an engine is back.
   */
  public BackoffPolicy outageBackoff() {
    Duration thirtyFold = errorBackoff.multipliedBy(30);
    Duration cap = thirtyFold.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : thirtyFold;
    return new BackoffPolicy(errorBackoff, 2.0, cap.compareTo(errorBackoff) < 0 ? errorBackoff : cap,
        Integer.MAX_VALUE);
  }

  /**
   * The settings of a configuration while {@link #with} changes some of them: a field for each component, named as
   * the component and starting as its value, so that a change names only what it changes. Made only by {@code with}.
   */
  public final class Draft {
    public String group = WrapperConfig.this.group;
    public Set<String> topics = WrapperConfig.this.topics;
    public BackoffPolicy backoff = WrapperConfig.this.backoff;
    public RetryClassifier classifier = WrapperConfig.this.classifier;
    public int maxPollRecords = WrapperConfig.this.maxPollRecords;
    public Duration maxPollInterval = WrapperConfig.this.maxPollInterval;
    public Duration handlerTimeout = WrapperConfig.this.handlerTimeout;
    public Duration errorBackoff = WrapperConfig.this.errorBackoff;
    public Duration redriveWait = WrapperConfig.this.redriveWait;
    public Duration redriveResendAfter = WrapperConfig.this.redriveResendAfter;
    public DelayedRetry delayed = WrapperConfig.this.delayed;
    public Duration laneRefresh = WrapperConfig.this.laneRefresh;
    public Duration commitInterval = WrapperConfig.this.commitInterval;
    public Concurrency concurrency = WrapperConfig.this.concurrency;
    public StormBreaker stormBreaker = WrapperConfig.this.stormBreaker;

    private Draft() {}

    private WrapperConfig config() {
      return new WrapperConfig(group, topics, backoff, classifier, maxPollRecords, maxPollInterval, handlerTimeout,
          errorBackoff, redriveWait, redriveResendAfter, delayed, laneRefresh, commitInterval, concurrency,
          stormBreaker);
    }
  }
}
