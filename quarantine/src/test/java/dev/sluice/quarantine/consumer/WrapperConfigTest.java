package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.retry.RetryClassifier;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WrapperConfigTest {
  @Test
  void theDefaultsFitTheDevAndProductionPolicies() {
    assertDoesNotThrow(() -> WrapperConfig.of("g", Set.of("t"), BackoffPolicy.dev()));
    assertDoesNotThrow(() -> WrapperConfig.of("g", Set.of("t"), BackoffPolicy.defaults()));
  }

  @Test
  void longInPlaceBudgetsAreAcceptedBecauseThePollLoopNeverWaitsForHandling() {
    // 500 records x (3 attempts x 10 s + backoff) is far beyond 5 minutes; it does not matter, since a busy partition
    // is paused while polling goes on (QuarantiningConsumer), so max.poll.interval.ms is never at stake.
    WrapperConfig c = new WrapperConfig("g", Set.of("t"), new BackoffPolicy(Duration.ofSeconds(1), 2,
        Duration.ofSeconds(2), 3), RetryClassifier.defaults(), 500, Duration.ofMinutes(5), Duration.ofSeconds(10),
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(5));
    assertEquals(500, c.maxPollRecords());
    assertEquals(500, WrapperConfig.of("g", Set.of("t"), BackoffPolicy.defaults()).maxPollRecords());
  }

  @Test
  void groupAndTopicsAreRequired() {
    assertThrows(IllegalArgumentException.class, () -> WrapperConfig.of(" ", Set.of("t"), BackoffPolicy.dev()));
    assertThrows(IllegalArgumentException.class, () -> WrapperConfig.of("g", Set.of(), BackoffPolicy.dev()));
  }

  @Test
  void theDelayedTierCountsItsRetriesAfterTheInPlaceRound() {
    DelayedRetry three = DelayedRetry.of(3, BackoffPolicy.decorrelated(Duration.ofSeconds(1), Duration.ofSeconds(10),
        99, java.util.Optional.empty()));
    assertEquals(3, three.maxRetries());
    assertEquals(4, three.backoff().maxAttempts(), "the in-place round is the chain's first attempt");
    assertFalse(DelayedRetry.of(0, BackoffPolicy.dev()).enabled());
    assertEquals(0, DelayedRetry.disabled().maxRetries());
    assertThrows(IllegalArgumentException.class, () -> DelayedRetry.dev().withReceiveWait(Duration.ofSeconds(21)));
    assertThrows(IllegalArgumentException.class, () -> DelayedRetry.of(-1, BackoffPolicy.dev()));
  }

  @Test
  void theDocumentedDefaultsHold() {
    WrapperConfig c = WrapperConfig.of("g", Set.of("t"), BackoffPolicy.defaults());
    assertEquals(8, c.delayed().maxRetries());
    assertEquals(BackoffPolicy.Jitter.DECORRELATED, c.delayed().backoff().jitter());
    assertEquals(java.util.Optional.of(Duration.ofHours(24)), c.delayed().backoff().maxElapsed());
    assertEquals(Duration.ofSeconds(5), c.laneRefresh());
    assertEquals(Duration.ofSeconds(1), c.commitInterval());
    assertEquals(Duration.ofSeconds(30), c.outageBackoff().maxInterval());
    assertEquals(Duration.ofSeconds(6), c.withErrorBackoff(Duration.ofMillis(200)).outageBackoff().maxInterval());
    assertEquals(Duration.ofMinutes(2), c.withErrorBackoff(Duration.ofMinutes(2)).outageBackoff().maxInterval());
  }

  @Test
  void withChangesWhatItNamesAndChecksTheResult() {
    WrapperConfig c = WrapperConfig.of("g", Set.of("t"), BackoffPolicy.defaults());
    WrapperConfig changed = c.with(d -> {
      d.maxPollRecords = 5;
      d.laneRefresh = Duration.ofMillis(500);
    });
    assertEquals(5, changed.maxPollRecords());
    assertEquals(Duration.ofMillis(500), changed.laneRefresh());
    assertEquals(c, changed.with(d -> {
      d.maxPollRecords = c.maxPollRecords();
      d.laneRefresh = c.laneRefresh();
    }), "everything else is as it was");
    assertThrows(IllegalArgumentException.class, () -> c.with(d -> d.maxPollRecords = 0));
    assertThrows(NullPointerException.class, () -> c.with(d -> d.delayed = null));
  }

  @Test
  void theStormBreakerIsOffUnlessChosenAndItsSettingsAreChecked() {
    WrapperConfig c = WrapperConfig.of("g", Set.of("t"), BackoffPolicy.dev());
    assertFalse(c.stormBreaker().enabled());
    assertEquals(dev.sluice.quarantine.storm.StormBreaker.defaults(),
        c.withStormBreaker(dev.sluice.quarantine.storm.StormBreaker.defaults()).stormBreaker());
    assertThrows(NullPointerException.class, () -> c.withStormBreaker(null));
  }
}
