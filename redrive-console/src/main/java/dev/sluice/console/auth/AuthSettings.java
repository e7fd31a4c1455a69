package dev.sluice.console.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * How the console authenticates (read from {@code sluice.console.*} by the launcher).
 *
 * @param credentials who may sign in, and with which role; the dev credentials included when enabled
 * @param devCredentials whether the documented dev users and tokens are accepted ({@code sluice.console.dev.users};
 *     on only in {@code ./sluice dev})
 * @param sessionTtl how long a login lasts; the session ends then whatever the user does
 * @param secureCookie whether the session cookie is {@code Secure} (sent over HTTPS only): on in production, where
 *     the console is behind TLS
 * @param sessionTable the DynamoDB table of login sessions ({@code sluice.console.session.table}), shared by every
 *     console instance: sessions survive a restart and need no sticky load balancing
 * @param operatorBulkLimit the largest bulk job an operator may start; a larger one needs an admin
 * @param signIn the sign-in form's guards: attempt limits, the public origin, trusted proxies
 */
public record AuthSettings(
    Credentials credentials, boolean devCredentials, Duration sessionTtl, boolean secureCookie, String sessionTable,
    long operatorBulkLimit, SignInSettings signIn) {
  public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(8);
  public static final String DEFAULT_SESSION_TABLE = "sluice-console-sessions";
  public static final long DEFAULT_OPERATOR_BULK_LIMIT = 1_000;

  public AuthSettings {
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(signIn, "signIn");
    Objects.requireNonNull(sessionTtl, "sessionTtl");
    if (sessionTtl.compareTo(Duration.ofMinutes(1)) < 0 || sessionTtl.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException("sluice.console.session.ttl must be between 1m and 30 days");
    }
    if (sessionTable == null || !sessionTable.matches("[A-Za-z0-9_.-]{3,255}")) {
      throw new IllegalArgumentException("sluice.console.session.table must be a DynamoDB table name (3-255 of "
          + "A-Z a-z 0-9 _ . -), was " + sessionTable);
    }
    if (operatorBulkLimit < 0) {
      throw new IllegalArgumentException("sluice.console.bulk.operator.limit must not be negative");
    }
  }

  /** With the default sign-in guards ({@link SignInSettings#defaults()}). */
  public AuthSettings(
      Credentials credentials, boolean devCredentials, Duration sessionTtl, boolean secureCookie, String sessionTable,
      long operatorBulkLimit) {
    this(credentials, devCredentials, sessionTtl, secureCookie, sessionTable, operatorBulkLimit,
        SignInSettings.defaults());
  }

  /** Nobody can sign in: the safe default when nothing is configured. */
  public static AuthSettings none() {
    return new AuthSettings(Credentials.none(), false, DEFAULT_SESSION_TTL, false, DEFAULT_SESSION_TABLE,
        DEFAULT_OPERATOR_BULK_LIMIT);
  }

  /** The dev credentials only, plain-HTTP cookie: {@code ./sluice dev} and tests. */
  public static AuthSettings dev() {
    return new AuthSettings(Credentials.dev(), true, DEFAULT_SESSION_TTL, false, DEFAULT_SESSION_TABLE,
        DEFAULT_OPERATOR_BULK_LIMIT);
  }

  public AuthSettings withSignIn(SignInSettings s) {
    return new AuthSettings(credentials, devCredentials, sessionTtl, secureCookie, sessionTable, operatorBulkLimit, s);
  }
}
