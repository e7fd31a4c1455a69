package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.retry.PoisonPill;
import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.HandlerAttempt;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.Settlement;
import dev.sluice.quarantine.store.QuarantineStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The tier decisions, with a fixed clock and a seeded random source. */
class DiversionsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final DelayedRetry TWO_RETRIES = DelayedRetry.of(2,
      BackoffPolicy.decorrelated(Duration.ofSeconds(10), Duration.ofMinutes(30), 1, Optional.of(Duration.ofHours(1))));

  private static Diversions diversions(DelayedRetry delayed) {
    WrapperConfig config = WrapperConfig.of("g", Set.of("t"), BackoffPolicy.dev()).withDelayed(delayed);
    return new Diversions(config, CLOCK, new SplittableRandom(1));
  }

  private static List<HandlerAttempt> failures(int n, HandlerAttempt.Tier tier, Instant first) {
    List<HandlerAttempt> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(HandlerAttempt.failed(first.plusSeconds(i), tier, new IllegalStateException("busy")));
    }
    return out;
  }

  private static QuarantineItem retrying(List<HandlerAttempt> log) {
    return new QuarantineItem("id", QuarantineStatus.RETRYING, "s", "g", "t", 0, 7, Optional.of("k"), new byte[0],
        List.of(), Optional.of("e"), Optional.of("type"), QuarantineReason.HANDLER_FAILED, "", "", List.of(),
        log.size(), log.get(0).at(), NOW, Optional.empty(), 0, List.of(new AuditEntry(NOW, "X", "a", "")), log,
        Optional.of(NOW), Optional.empty(), 1);
  }

  @Test
  void anExhaustedInPlaceRoundGoesToTheDelayedTierWithADecorrelatedWait() {
    var outcome = new HandlerInvoker.Exhausted(new IllegalStateException("busy"),
        failures(3, HandlerAttempt.Tier.IN_PLACE, NOW.minusSeconds(3)));
    Diversions.Decided d = diversions(TWO_RETRIES).afterInPlace(outcome, 0);
    Settlement.Retrying r = assertInstanceOf(Settlement.Retrying.class, d.settlement());
    assertEquals(NOW.plus(d.delay()), r.nextAttemptAt());
    long ms = d.delay().toMillis();
    org.junit.jupiter.api.Assertions.assertTrue(ms >= 10_000 && ms <= 30_000, "first delayed wait " + ms);
    assertEquals("java.lang.IllegalStateException", r.errorClass());
    assertEquals(3, r.attempts().size());
  }

  @Test
  void withTheDelayedTierOffAnExhaustedRoundIsDeadAtOnce() {
    var outcome = new HandlerInvoker.Exhausted(new IllegalStateException("busy"),
        failures(3, HandlerAttempt.Tier.IN_PLACE, NOW));
    var q = assertInstanceOf(Settlement.Quarantined.class,
        diversions(DelayedRetry.disabled()).afterInPlace(outcome, 0).settlement());
    assertEquals(QuarantineReason.RETRIES_EXHAUSTED, q.reason());
  }

  @Test
  void aNonRetryableFailureIsRejectedAndASuccessResolves() {
    var rejected = new HandlerInvoker.Rejected(new PoisonPill("no"), failures(1, HandlerAttempt.Tier.IN_PLACE, NOW));
    assertEquals(QuarantineReason.HANDLER_REJECTED, assertInstanceOf(Settlement.Quarantined.class,
        diversions(TWO_RETRIES).afterInPlace(rejected, 0).settlement()).reason());
    var handled = new HandlerInvoker.Handled(List.of(HandlerAttempt.succeeded(NOW, HandlerAttempt.Tier.DELAYED)));
    assertInstanceOf(Settlement.Resolved.class, diversions(TWO_RETRIES).afterInPlace(handled, 2).settlement());
  }

  @Test
  void delayedAttemptsStopAtTheConfiguredNumberOfRetries() {
    Diversions d = diversions(TWO_RETRIES);
    var again = new HandlerInvoker.Exhausted(new IllegalStateException("busy"),
        failures(1, HandlerAttempt.Tier.DELAYED, NOW));
    List<HandlerAttempt> log = failures(3, HandlerAttempt.Tier.IN_PLACE, NOW.minusSeconds(60));
    assertInstanceOf(Settlement.Retrying.class,
        d.afterDelayed(again, retrying(log), Duration.ofSeconds(12), 1).settlement(), "after the first retry");

    List<HandlerAttempt> withOne = new ArrayList<>(log);
    withOne.addAll(failures(1, HandlerAttempt.Tier.DELAYED, NOW.minusSeconds(30)));
    var dead = assertInstanceOf(Settlement.Quarantined.class,
        d.afterDelayed(again, retrying(withOne), Duration.ofSeconds(12), 2).settlement(), "after the second");
    assertEquals(QuarantineReason.RETRIES_EXHAUSTED, dead.reason());
  }

  @Test
  void theTimeBudgetCountsFromTheFirstHandlerCall() {
    Diversions d = diversions(DelayedRetry.of(50, BackoffPolicy.decorrelated(Duration.ofSeconds(10),
        Duration.ofMinutes(30), 1, Optional.of(Duration.ofMinutes(10)))));
    var again = new HandlerInvoker.Exhausted(new IllegalStateException("busy"),
        failures(1, HandlerAttempt.Tier.DELAYED, NOW));
    QuarantineItem old = retrying(failures(3, HandlerAttempt.Tier.IN_PLACE, NOW.minus(Duration.ofMinutes(11))));
    assertEquals(QuarantineReason.RETRIES_EXHAUSTED, assertInstanceOf(Settlement.Quarantined.class,
        d.afterDelayed(again, old, Duration.ofSeconds(10), 1).settlement()).reason());
  }

  @Test
  void anItemPastItsTraceBudgetGetsNewAttemptsWithoutTraces() {
    Diversions d = diversions(TWO_RETRIES);
    QuarantineItem full = retrying(failures(HandlerAttempt.MAX_TRACED_ATTEMPTS, HandlerAttempt.Tier.IN_PLACE,
        NOW.minusSeconds(60)));
    var failed = new HandlerInvoker.Rejected(new PoisonPill("no"), failures(2, HandlerAttempt.Tier.REDRIVE, NOW));
    List<HandlerAttempt> redriven = d.afterRedrive(failed, full, 2).attempts();
    assertEquals(2, redriven.size());
    assertTrue(redriven.stream().allMatch(a -> a.stackTrace().isEmpty() && a.message().equals("busy")));

    QuarantineItem roomy = retrying(failures(1, HandlerAttempt.Tier.IN_PLACE, NOW.minusSeconds(60)));
    assertTrue(d.afterRedrive(failed, roomy, 2).attempts().stream().allMatch(a -> a.stackTrace().isPresent()));
    var again = new HandlerInvoker.Exhausted(new IllegalStateException("busy"),
        failures(1, HandlerAttempt.Tier.DELAYED, NOW));
    assertTrue(d.afterDelayed(again, full, Duration.ofSeconds(12), 1).settlement().attempts().get(0).stackTrace()
        .isEmpty());
    assertTrue(d.afterInPlace(again, 0).settlement().attempts().get(0).stackTrace().isPresent());
  }

  @Test
  void anItemOfARewindsPassHasAnIdOfItsOwnTheSameForTheSameRecordAndRewind() {
    Diversions.Source first = new Diversions.Source("s", "t", 2, 40, Optional.of("k"), new byte[0], List.of(),
        Optional.empty());
    Diversions.Source again = new Diversions.Source("s", "t", 2, 40, Optional.of("k"), new byte[0], List.of(),
        Optional.of("0123456789abcdef"));
    QuarantineItem ofFirst = diversions(TWO_RETRIES).poisonItem(first, poison());
    QuarantineItem ofAgain = diversions(TWO_RETRIES).poisonItem(again, poison());
    assertEquals(QuarantineItem.idFor("g", "t", 2, 40), ofFirst.id(), "the first pass's id, as always");
    assertTrue(!ofAgain.id().equals(ofFirst.id()), "the rewind's item never collides with the first pass's");
    assertEquals(QuarantineItem.idFor("g", "t", 2, 40, Optional.of("0123456789abcdef")), ofAgain.id());
    assertEquals(ofAgain.id(), diversions(TWO_RETRIES).poisonItem(again, poison()).id(), "stable within the pass");
    assertEquals(QuarantineItem.idFor("g", "t", 2, 40), QuarantineItem.idFor("g", "t", 2, 40, Optional.empty()));
  }

  private static Triage.Poison poison() {
    return new Triage.Poison("s", Optional.empty(), Optional.empty(), QuarantineReason.NOT_A_CLOUDEVENT,
        "NotACloudEvent", "junk", List.of());
  }
}
