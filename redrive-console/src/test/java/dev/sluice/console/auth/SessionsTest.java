package dev.sluice.console.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SessionsTest {
  private Instant now = Instant.parse("2026-11-22T10:00:00Z");
  private final Clock clock = new Clock() {
    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  };

  @Test
  void aSessionLastsItsTtlAndEndsOnLogout() {
    Sessions sessions = new Sessions(clock, new SplittableRandom(1), Duration.ofHours(8), 10);
    Sessions.Started s = sessions.start("operator", Role.OPERATOR);
    assertEquals(new Principal("operator", Role.OPERATOR, Principal.Via.SESSION),
        sessions.find(s.id()).orElseThrow().principal());
    now = now.plus(Duration.ofHours(8)).minusMillis(1);
    assertTrue(sessions.find(s.id()).isPresent());
    now = now.plusMillis(1);
    assertTrue(sessions.find(s.id()).isEmpty(), "expired");
    assertEquals(0, sessions.size(), "an expired session is dropped when found");

    Sessions.Started t = sessions.start("viewer", Role.VIEWER);
    sessions.end(t.id());
    assertTrue(sessions.find(t.id()).isEmpty());
    assertTrue(sessions.find(null).isEmpty());
    assertTrue(sessions.find("x".repeat(500)).isEmpty());
  }

  @Test
  void theCsrfTokenIsPerSessionAndCheckedExactly() {
    Sessions sessions = new Sessions(clock, new SplittableRandom(2), Duration.ofHours(1), 10);
    Sessions.Session a = sessions.start("a", Role.OPERATOR).session();
    Sessions.Session b = sessions.start("b", Role.OPERATOR).session();
    assertNotEquals(a.csrfToken(), b.csrfToken());
    assertTrue(a.csrfMatches(a.csrfToken()));
    assertFalse(a.csrfMatches(b.csrfToken()));
    assertFalse(a.csrfMatches(null));
    assertFalse(a.csrfMatches(""));
    assertFalse(a.csrfMatches(a.csrfToken().substring(1)));
  }

  @Test
  void boundedTheOldestGoesFirst() {
    Sessions sessions = new Sessions(clock, new SplittableRandom(3), Duration.ofHours(1), 2);
    Sessions.Started first = sessions.start("a", Role.VIEWER);
    now = now.plusSeconds(1);
    Sessions.Started second = sessions.start("b", Role.VIEWER);
    now = now.plusSeconds(1);
    Sessions.Started third = sessions.start("c", Role.VIEWER);
    assertEquals(2, sessions.size());
    assertTrue(sessions.find(first.id()).isEmpty());
    assertTrue(sessions.find(second.id()).isPresent());
    assertTrue(sessions.find(third.id()).isPresent());
  }
}
