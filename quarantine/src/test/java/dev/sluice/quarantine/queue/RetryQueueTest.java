package dev.sluice.quarantine.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryQueueTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aDueOrOverdueRetryHasNoDelay() {
    assertEquals(0, RetryQueue.delaySeconds(NOW, NOW));
    assertEquals(0, RetryQueue.delaySeconds(NOW, NOW.minusSeconds(30)));
  }

  @Test
  void partSecondsRoundUpSoARetryIsNeverEarly() {
    assertEquals(1, RetryQueue.delaySeconds(NOW, NOW.plusMillis(1)));
    assertEquals(2, RetryQueue.delaySeconds(NOW, NOW.plusMillis(1_001)));
    assertEquals(900, RetryQueue.delaySeconds(NOW, NOW.plusSeconds(900)));
  }

  @Test
  void longerWaitsAreCappedAtTheSqsLimitAndChained() {
    Instant due = NOW.plus(Duration.ofMinutes(40));
    assertEquals(900, RetryQueue.delaySeconds(NOW, due), "first hop");
    assertEquals(900, RetryQueue.delaySeconds(NOW.plusSeconds(900), due), "second hop");
    assertEquals(600, RetryQueue.delaySeconds(NOW.plusSeconds(1_800), due), "last hop: the rest");
  }

  @Test
  void requestsSurviveTheirWireFormat() {
    RetryQueue.Request r = new RetryQueue.Request("item-1", 4, NOW.plusSeconds(5), Duration.ofMillis(1_500));
    assertEquals(java.util.Optional.of(r), RetryQueue.Request.decode(r.encode()));
    assertEquals(java.util.Optional.empty(), RetryQueue.Request.decode("{\"attempts\":1}"), "no id");
    assertEquals(java.util.Optional.empty(), RetryQueue.Request.decode("not json"));
  }
}
