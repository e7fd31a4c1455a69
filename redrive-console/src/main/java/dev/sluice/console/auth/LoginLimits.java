package dev.sluice.console.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * How many password sign-ins are let through before a user name or a client address is locked out
 * ({@code sluice.console.login.*}).
 *
 * @param userAttempts sign-in attempts per user name within {@code window}, known and unknown names alike
 *     ({@code sluice.console.login.user.attempts})
 * @param addressAttempts sign-in attempts per client address within {@code window}, whatever the user names
 *     ({@code sluice.console.login.address.attempts}); a successful sign-in does not count
 * @param window the fixed window the attempts are counted in, from the first one ({@code sluice.console.login.window})
 * @param lockout how long a name or address is refused once it asks again after using up its attempts
 *     ({@code sluice.console.login.lockout}); attempts during it are refused without extending it
 */
public record LoginLimits(int userAttempts, int addressAttempts, Duration window, Duration lockout) {
  public static final int MAX_ATTEMPTS = 1_000;
  public static final Duration MAX_DURATION = Duration.ofDays(1);

  public LoginLimits {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(lockout, "lockout");
    attempts("sluice.console.login.user.attempts", userAttempts);
    attempts("sluice.console.login.address.attempts", addressAttempts);
    duration("sluice.console.login.window", window);
    duration("sluice.console.login.lockout", lockout);
  }

  /** Five tries per user name and twenty per address in 15 minutes, then 15 minutes locked out. */
  public static LoginLimits defaults() {
    return new LoginLimits(5, 20, Duration.ofMinutes(15), Duration.ofMinutes(15));
  }

  private static void attempts(String key, int n) {
    if (n < 1 || n > MAX_ATTEMPTS) {
      throw new IllegalArgumentException(key + " must be between 1 and " + MAX_ATTEMPTS + ", was " + n);
    }
  }

  private static void duration(String key, Duration d) {
    if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(key + " must be between 1s and 24h, was " + d);
    }
  }
}
