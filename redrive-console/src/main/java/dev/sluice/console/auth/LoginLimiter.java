package dev.sluice.console.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The arithmetic of sign-in throttling, for one user name's or one client address's record; pure (the clock is
 * injected), so {@link SignInAttempts} can apply it inside its read-then-conditional-write loop.
 *
 * <p>An attempt is counted before its password is checked, so concurrent guesses on several console instances cannot
 * overrun the limit. Within a fixed window from the first attempt, {@code limit} attempts are let through; the next
 * one is refused and starts a lockout of {@link LoginLimits#lockout()}. During a lockout every attempt is refused,
 * the right password too, and nothing is written: asking again never extends it. After it, or once the window has
 * passed, counting starts afresh. So a name or address gets at most {@code limit} password checks per window, and
 * keeping a user locked out takes {@code limit + 1} requests per lockout.
 */
public final class LoginLimiter {
  /**
   * A user name's or address's record.
   *
   * @param windowStart when the first attempt of the window was made
   * @param count attempts let through in the window (a successful sign-in takes its own back)
   * @param lockedUntil when a lockout ends, if one was started
   */
  public record Attempts(Instant windowStart, int count, Optional<Instant> lockedUntil) {
    public Attempts {
      Objects.requireNonNull(windowStart, "windowStart");
      Objects.requireNonNull(lockedUntil, "lockedUntil");
      if (count < 0) {
        throw new IllegalArgumentException("count must not be negative");
      }
    }

    boolean lockedAt(Instant now) {
      return lockedUntil.isPresent() && now.isBefore(lockedUntil.get());
    }
  }

  /** What one more attempt does to a record. */
  public sealed interface Take {
    /** The record to store; empty when it stays as it is. */
    Optional<Attempts> next();

    /** Let through: the password may be checked. */
    record Allowed(Attempts counted) implements Take {
      @Override
      public Optional<Attempts> next() {
        return Optional.of(counted);
      }
    }

    /**
     * Refused, for {@code retryAfter} (whole seconds, at least one). {@code next} is present when this attempt
     * started the lockout.
     */
    record Refused(Duration retryAfter, Optional<Attempts> next) implements Take {
      public boolean startsLockout() {
        return next.isPresent();
      }
    }
  }

  private final LoginLimits limits;
  private final Clock clock;

  public LoginLimiter(LoginLimits limits, Clock clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public LoginLimits limits() {
    return limits;
  }

  /** One more attempt against {@code current}, for a key allowed {@code limit} attempts per window. */
  public Take take(Optional<Attempts> current, int limit) {
    Instant now = clock.instant();
    if (current.isPresent() && current.get().lockedAt(now)) {
      return new Take.Refused(untilThen(now, current.get().lockedUntil().get()), Optional.empty());
    }
    if (current.isEmpty() || !counting(current.get(), now)) {
      return new Take.Allowed(new Attempts(now, 1, Optional.empty()));
    }
    Attempts a = current.get();
    if (a.count() < limit) {
      return new Take.Allowed(new Attempts(a.windowStart(), a.count() + 1, Optional.empty()));
    }
    Instant until = now.plus(limits.lockout());
    return new Take.Refused(untilThen(now, until), Optional.of(new Attempts(a.windowStart(), a.count(),
        Optional.of(until))));
  }

  /**
   * The record after a successful sign-in gives back the attempt it was counted as (an address's: someone signing
   * in from a shared address does not use up the others' attempts); empty when nothing changes.
   */
  public Optional<Attempts> giveBack(Optional<Attempts> current) {
    Instant now = clock.instant();
    return current.filter(a -> counting(a, now) && a.count() > 0)
        .map(a -> new Attempts(a.windowStart(), a.count() - 1, Optional.empty()));
  }

  /**
   * Whether a successful sign-in may delete the record (a user's: the count starts again). Not while locked out: a
   * lockout started by someone else meanwhile stands.
   */
  public boolean mayClear(Optional<Attempts> current) {
    return current.isPresent() && !current.get().lockedAt(clock.instant());
  }

  /** When the record no longer matters: its window has passed and its lockout, if any, has ended. */
  public Instant expiresAt(Attempts a) {
    Instant windowEnd = a.windowStart().plus(limits.window());
    return a.lockedUntil().filter(l -> l.isAfter(windowEnd)).orElse(windowEnd);
  }

  /** Whether attempts still count against {@code a}: its window is open and no lockout has been (and ended). */
  private boolean counting(Attempts a, Instant now) {
    return a.lockedUntil().isEmpty() && now.isBefore(a.windowStart().plus(limits.window()));
  }

  /** From now until {@code then}, rounded up to whole seconds, at least one (what {@code Retry-After} says). */
  private static Duration untilThen(Instant now, Instant then) {
    long millis = Duration.between(now, then).toMillis();
    return Duration.ofSeconds(Math.max(1, Math.floorDiv(millis + 999, 1000)));
  }
}
