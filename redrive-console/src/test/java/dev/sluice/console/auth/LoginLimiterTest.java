package dev.sluice.console.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The limiter's arithmetic, each step at a fixed instant of its own: no test waits for time to pass. */
class LoginLimiterTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final LoginLimits LIMITS = new LoginLimits(3, 10, Duration.ofMinutes(10), Duration.ofMinutes(5));

  private static LoginLimiter at(Duration sinceT0) {
    return new LoginLimiter(LIMITS, Clock.fixed(T0.plus(sinceT0), ZoneOffset.UTC));
  }

  /** {@code n} attempts let through from T0, one a second. */
  private static Optional<LoginLimiter.Attempts> afterAttempts(int n) {
    Optional<LoginLimiter.Attempts> record = Optional.empty();
    for (int i = 0; i < n; i++) {
      LoginLimiter.Take take = at(Duration.ofSeconds(i)).take(record, 3);
      assertInstanceOf(LoginLimiter.Take.Allowed.class, take, "attempt " + (i + 1));
      record = take.next();
    }
    return record;
  }

  @Test
  void theLimitIsLetThroughInTheWindowAndTheNextAttemptStartsTheLockout() {
    Optional<LoginLimiter.Attempts> three = afterAttempts(3);
    assertEquals(new LoginLimiter.Attempts(T0, 3, Optional.empty()), three.orElseThrow());

    LoginLimiter.Take fourth = at(Duration.ofMinutes(2)).take(three, 3);
    LoginLimiter.Take.Refused refused = assertInstanceOf(LoginLimiter.Take.Refused.class, fourth);
    assertTrue(refused.startsLockout());
    assertEquals(Duration.ofMinutes(5), refused.retryAfter());
    assertEquals(Optional.of(T0.plus(Duration.ofMinutes(7))), refused.next().orElseThrow().lockedUntil());
  }

  @Test
  void attemptsDuringTheLockoutAreRefusedWithoutWritingSoTheyNeverExtendIt() {
    Optional<LoginLimiter.Attempts> locked = at(Duration.ofMinutes(2)).take(afterAttempts(3), 3).next();
    // The lockout ends at T0 + 7m. Asking at 6m58.5s: 1.5 s left, said as 2 (Retry-After is whole seconds).
    LoginLimiter.Take.Refused late = assertInstanceOf(LoginLimiter.Take.Refused.class,
        at(Duration.ofMinutes(6).plusMillis(58_500)).take(locked, 3));
    assertFalse(late.startsLockout());
    assertEquals(Optional.empty(), late.next(), "nothing to write");
    assertEquals(Duration.ofSeconds(2), late.retryAfter());
    assertEquals(Duration.ofMinutes(1), ((LoginLimiter.Take.Refused) at(Duration.ofMinutes(6)).take(locked, 3))
        .retryAfter());
  }

  @Test
  void whenTheLockoutEndsCountingStartsAfresh() {
    Optional<LoginLimiter.Attempts> locked = at(Duration.ofMinutes(2)).take(afterAttempts(3), 3).next();
    LoginLimiter.Take after = at(Duration.ofMinutes(7)).take(locked, 3);
    assertEquals(new LoginLimiter.Take.Allowed(new LoginLimiter.Attempts(T0.plus(Duration.ofMinutes(7)), 1,
        Optional.empty())), after);
  }

  @Test
  void whenTheWindowHasPassedWithoutALockoutCountingStartsAfresh() {
    Optional<LoginLimiter.Attempts> three = afterAttempts(3);
    assertEquals(new LoginLimiter.Take.Allowed(new LoginLimiter.Attempts(T0.plus(Duration.ofMinutes(10)), 1,
        Optional.empty())), at(Duration.ofMinutes(10)).take(three, 3));
    assertInstanceOf(LoginLimiter.Take.Refused.class, at(Duration.ofMinutes(10).minusMillis(1)).take(three, 3));
  }

  @Test
  void aRecordOverALoweredLimitIsLockedOutAtTheNextAttempt() {
    assertInstanceOf(LoginLimiter.Take.Refused.class, at(Duration.ofSeconds(5)).take(afterAttempts(3), 2));
  }

  @Test
  void aSuccessfulSignInGivesItsAttemptBackButNeverUndoesALockout() {
    Optional<LoginLimiter.Attempts> two = afterAttempts(2);
    assertEquals(Optional.of(new LoginLimiter.Attempts(T0, 1, Optional.empty())),
        at(Duration.ofSeconds(30)).giveBack(two));
    assertEquals(Optional.empty(), at(Duration.ofSeconds(30)).giveBack(Optional.of(
        new LoginLimiter.Attempts(T0, 0, Optional.empty()))), "never below zero");
    assertEquals(Optional.empty(), at(Duration.ofMinutes(11)).giveBack(two), "a past window is left to expire");
    Optional<LoginLimiter.Attempts> locked = at(Duration.ofMinutes(2)).take(afterAttempts(3), 3).next();
    assertEquals(Optional.empty(), at(Duration.ofMinutes(3)).giveBack(locked));
    assertEquals(Optional.empty(), at(Duration.ofSeconds(1)).giveBack(Optional.empty()));
  }

  @Test
  void aUsersRecordMayBeClearedUnlessALockoutIsRunning() {
    assertTrue(at(Duration.ofSeconds(5)).mayClear(afterAttempts(2)));
    assertFalse(at(Duration.ofSeconds(5)).mayClear(Optional.empty()), "nothing to clear");
    Optional<LoginLimiter.Attempts> locked = at(Duration.ofMinutes(2)).take(afterAttempts(3), 3).next();
    assertFalse(at(Duration.ofMinutes(3)).mayClear(locked));
    assertTrue(at(Duration.ofMinutes(7)).mayClear(locked), "the lockout has ended");
  }

  @Test
  void aRecordExpiresWhenItsWindowAndItsLockoutAreBothOver() {
    assertEquals(T0.plus(Duration.ofMinutes(10)), at(Duration.ZERO).expiresAt(afterAttempts(1).orElseThrow()));
    LoginLimiter.Attempts lockedLate = new LoginLimiter.Attempts(T0, 3, Optional.of(T0.plus(Duration.ofMinutes(14))));
    assertEquals(T0.plus(Duration.ofMinutes(14)), at(Duration.ZERO).expiresAt(lockedLate));
  }

  @Test
  void limitsOutsideTheirRangesAreRefused() {
    for (Runnable bad : new Runnable[] {
        () -> new LoginLimits(0, 10, Duration.ofMinutes(1), Duration.ofMinutes(1)),
        () -> new LoginLimits(3, 1_001, Duration.ofMinutes(1), Duration.ofMinutes(1)),
        () -> new LoginLimits(3, 10, Duration.ofMillis(999), Duration.ofMinutes(1)),
        () -> new LoginLimits(3, 10, Duration.ofMinutes(1), Duration.ofHours(25))}) {
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, bad::run);
    }
  }
}
