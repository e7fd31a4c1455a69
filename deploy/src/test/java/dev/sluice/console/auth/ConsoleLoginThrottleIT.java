package dev.sluice.console.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.HandClock;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sign-in attempt limits against DynamoDB Local, on consoles of the test's own whose clock the test moves: the right
 * password after too many wrong ones is refused (429 with Retry-After) until the lockout ends, and asking during it
 * does not extend it; an unknown user name gets exactly the answers a real one gets; the count is shared by every
 * console instance; a successful sign-in starts a user's count again; the per-address limit holds whatever the user
 * names, and X-Forwarded-For names the client only when it comes from a trusted proxy. Lockouts are audited without
 * any password.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(120)
class ConsoleLoginThrottleIT {
  private static final String WRONG = "a-wrong-password-";
  /** The audit action and actor of a lockout, as documented. */
  private static final String LOCKOUT = "SIGN_IN_LOCKOUT";
  private static final String CONSOLE_ITSELF = "sluice";
  private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

  private static Map<String, String> limits(int perUser, int perAddress, String lockout) {
    return Map.of(
        "sluice.console.login.user.attempts", Integer.toString(perUser),
        "sluice.console.login.address.attempts", Integer.toString(perAddress),
        "sluice.console.login.window", "10m",
        "sluice.console.login.lockout", lockout);
  }

  private static void throttled(HttpResponse<String> r, long retryAfterSeconds) {
    assertEquals(429, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"),
        r.headers().toString());
    JsonObject problem = new JsonObject(r.body());
    assertEquals("https://sluice.dev/problems/sign-in-throttled", problem.getString("type"), r.body());
    assertEquals(Long.toString(retryAfterSeconds), r.headers().firstValue("retry-after").orElse(null));
    assertEquals(retryAfterSeconds, problem.getLong("retryAfter"));
    assertTrue(r.headers().firstValue("set-cookie").isEmpty(), "no session: " + r.headers());
  }

  private static void signedIn(HttpResponse<String> r) {
    assertEquals(303, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("set-cookie").orElse("").startsWith(ConsoleAuth.SESSION_COOKIE + "="),
        r.headers().toString());
  }

  /** The lockout entries of the audit trail since {@code since} whose detail mentions {@code text}. */
  private static List<JsonObject> lockouts(SignInConsole console, Instant since, String text) {
    HttpResponse<String> r = console.get("/api/v1/audit?action=" + LOCKOUT + "&from="
        + SignInConsole.enc(since.toString()) + "&limit=500", "Authorization", "Bearer dev-admin");
    assertEquals(200, r.statusCode(), r.body());
    JsonArray entries = new JsonObject(r.body()).getJsonArray("entries");
    List<JsonObject> found = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (entries.getJsonObject(i).getString("detail").contains(text)) {
        found.add(entries.getJsonObject(i));
      }
    }
    return found;
  }

  @Test
  void theRightPasswordAfterTooManyWrongOnesIsRefusedUntilTheLockoutEndsAndAskingDoesNotExtendIt(Stack stack)
      throws Exception {
    Instant testStart = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    HandClock clock = new HandClock();
    String user = SignInConsole.newUser();
    try (SignInConsole console = new SignInConsole(stack, SignInConsole.newTable(), user, clock,
        limits(3, 50, "5m"))) {
      for (int i = 1; i <= 3; i++) {
        assertEquals(401, console.signIn(user, WRONG + i).statusCode(), "attempt " + i);
      }
      // The fourth attempt is refused before its password is looked at: the right one changes nothing.
      throttled(console.signIn(user, SignInConsole.PASSWORD), 300);

      // The form, for a browser: the same refusal, said in words.
      HttpResponse<String> page = console.signIn(user, SignInConsole.PASSWORD, "Accept", BROWSER_ACCEPT);
      assertEquals(429, page.statusCode());
      assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"), page.headers()
          .toString());
      assertEquals("300", page.headers().firstValue("retry-after").orElse(null));
      assertTrue(page.body().contains("data-testid=\"login-error\""), page.body());
      assertTrue(page.body().contains("Try again in 5 minutes."), page.body());
      assertTrue(page.body().contains("name=\"password\""), "the form is shown again: " + page.body());

      clock.advance(Duration.ofMinutes(4));
      // Attempts during the lockout did not move its end: a minute is left.
      throttled(console.signIn(user, SignInConsole.PASSWORD), 60);
      throttled(console.signIn(user, WRONG + 4), 60);

      clock.advance(Duration.ofSeconds(60));
      signedIn(console.signIn(user, SignInConsole.PASSWORD));

      List<JsonObject> audited = Eventually.await("the lockout's audit entry", Duration.ofSeconds(30),
          () -> Optional.of(lockouts(console, testStart, "user " + user)).filter(l -> !l.isEmpty()));
      assertEquals(1, audited.size(), "audited once, when it started: " + audited);
      JsonObject entry = audited.get(0);
      assertEquals(CONSOLE_ITSELF, entry.getString("actor"));
      assertFalse(entry.encode().contains(WRONG), entry.encode());
      assertFalse(entry.encode().contains(SignInConsole.PASSWORD), entry.encode());
    }
  }

  @Test
  void aWrongPasswordOrAnUnknownNameShowsTheFormAgainWithAnErrorAndNoCookie(Stack stack) throws Exception {
    String user = SignInConsole.newUser();
    try (SignInConsole console = new SignInConsole(stack, SignInConsole.newTable(), user, new HandClock(),
        limits(3, 50, "5m"))) {
      for (String[] attempt : new String[][] {{user, WRONG}, {SignInConsole.newUser(), SignInConsole.PASSWORD}}) {
        HttpResponse<String> r = console.signIn(attempt[0], attempt[1], "Accept", BROWSER_ACCEPT);
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.body().contains("data-testid=\"login-error\""), r.body());
        assertTrue(r.headers().firstValue("set-cookie").isEmpty(), r.headers().toString());
      }
    }
  }

  @Test
  void anUnknownUserNameGetsExactlyTheAnswersAKnownOneGets(Stack stack) throws Exception {
    HandClock clock = new HandClock();
    String user = SignInConsole.newUser();
    String nobody = SignInConsole.newUser();
    try (SignInConsole console = new SignInConsole(stack, SignInConsole.newTable(), user, clock,
        limits(2, 50, "2m"))) {
      for (String name : List.of(user, nobody)) {
        assertEquals(401, console.signIn(name, WRONG + 1).statusCode(), name);
        assertEquals(401, console.signIn(name, WRONG + 2).statusCode(), name);
        throttled(console.signIn(name, SignInConsole.PASSWORD), 120);
        throttled(console.signIn(name, WRONG + 3), 120);
      }
    }
  }

  @Test
  void everyConsoleInstanceCountsTheSameAttempts(Stack stack) throws Exception {
    HandClock clock = new HandClock();
    String user = SignInConsole.newUser();
    String table = SignInConsole.newTable();
    try (SignInConsole a = new SignInConsole(stack, table, user, clock, limits(3, 50, "5m"));
        SignInConsole b = new SignInConsole(stack, table, user, clock, limits(3, 50, "5m"))) {
      assertEquals(401, a.signIn(user, WRONG + 1).statusCode());
      assertEquals(401, b.signIn(user, WRONG + 2).statusCode());
      assertEquals(401, a.signIn(user, WRONG + 3).statusCode());
      throttled(b.signIn(user, SignInConsole.PASSWORD), 300);
      throttled(a.signIn(user, SignInConsole.PASSWORD), 300);
    }
  }

  @Test
  void aSuccessfulSignInStartsTheUsersCountAgain(Stack stack) throws Exception {
    HandClock clock = new HandClock();
    String user = SignInConsole.newUser();
    try (SignInConsole console = new SignInConsole(stack, SignInConsole.newTable(), user, clock,
        limits(3, 50, "5m"))) {
      assertEquals(401, console.signIn(user, WRONG + 1).statusCode());
      assertEquals(401, console.signIn(user, WRONG + 2).statusCode());
      signedIn(console.signIn(user, SignInConsole.PASSWORD));
      for (int i = 3; i <= 5; i++) {
        assertEquals(401, console.signIn(user, WRONG + i).statusCode(), "a fresh count: attempt " + i);
      }
      throttled(console.signIn(user, SignInConsole.PASSWORD), 300);
    }
  }

  @Test
  void theAddressLimitHoldsWhateverTheUserNamesAndXForwardedForCountsOnlyFromATrustedProxy(Stack stack)
      throws Exception {
    Instant testStart = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    HandClock clock = new HandClock();
    String user = SignInConsole.newUser();
    // No trusted proxy: the header is the client's own word, and is ignored.
    try (SignInConsole direct = new SignInConsole(stack, SignInConsole.newTable(), user, clock,
        limits(50, 3, "5m"))) {
      for (int i = 1; i <= 3; i++) {
        assertEquals(401, direct.signIn(SignInConsole.newUser(), WRONG + i,
            "X-Forwarded-For", "198.51.100." + i).statusCode());
      }
      throttled(direct.signIn(user, SignInConsole.PASSWORD, "X-Forwarded-For", "198.51.100.99"), 300);
    }

    // Behind a trusted proxy (here 127.0.0.1), the address the proxy appended is the client's.
    Map<String, String> behindProxy = new java.util.HashMap<>(limits(50, 3, "5m"));
    behindProxy.put("sluice.console.trusted.proxies", "127.0.0.1, 10.0.0.0/8");
    try (SignInConsole proxied = new SignInConsole(stack, SignInConsole.newTable(), user, clock, behindProxy)) {
      for (int i = 1; i <= 3; i++) {
        assertEquals(401, proxied.signIn(SignInConsole.newUser(), WRONG + i,
            "X-Forwarded-For", "203.0.113.7").statusCode());
      }
      throttled(proxied.signIn(user, SignInConsole.PASSWORD, "X-Forwarded-For", "203.0.113.7"), 300);
      // What the client wrote before the proxy's entry is not read; a second proxy hop (10.1.2.3) is skipped.
      throttled(proxied.signIn(user, SignInConsole.PASSWORD, "X-Forwarded-For", "198.51.100.23, 203.0.113.7"), 300);
      throttled(proxied.signIn(user, SignInConsole.PASSWORD, "X-Forwarded-For", "203.0.113.7, 10.1.2.3"), 300);
      // Another client behind the same proxy is not held back.
      signedIn(proxied.signIn(user, SignInConsole.PASSWORD, "X-Forwarded-For", "198.51.100.23"));

      List<JsonObject> audited = Eventually.await("the address lockout's audit entry", Duration.ofSeconds(30),
          () -> Optional.of(lockouts(proxied, testStart, "address 203.0.113.7")).filter(l -> !l.isEmpty()));
      assertEquals(1, audited.size(), audited.toString());
    }
  }
}
