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
  void aBatchWhoseWorstCaseExceedsMaxPollIntervalIsRefused() {
    // 10 records x (3 attempts x 10 s + 1 s + 2 s of backoff) = 330 s > 300 s: Kafka would evict the consumer.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WrapperConfig("g",
        Set.of("t"), new BackoffPolicy(Duration.ofSeconds(1), 2, Duration.ofSeconds(2), 3), RetryClassifier.defaults(),
        10, Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofMinutes(5)));
    assertTrue(e.getMessage().contains("max.poll.interval.ms"), e.getMessage());
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
}
