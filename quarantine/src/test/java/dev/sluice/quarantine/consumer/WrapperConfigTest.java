package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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
}
