package dev.sluice.console.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The parts of {@link Sessions} that need no table: ids, CSRF tokens, expiry, the item layout. */
class SessionsTest {
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00.250Z");

  @Test
  void aNewSessionHasRandomIdAndCsrfTokenAndLastsItsTtl() {
    Sessions.Started s = Sessions.mint("operator", Role.OPERATOR, NOW, Duration.ofHours(8), new SplittableRandom(1));
    assertEquals(new Principal("operator", Role.OPERATOR, Principal.Via.SESSION), s.session().principal());
    assertEquals(NOW, s.session().createdAt());
    assertEquals(NOW.plus(Duration.ofHours(8)), s.session().expiresAt());
    assertEquals(Sessions.ID_BYTES, Base64.getUrlDecoder().decode(s.id()).length);
    assertEquals(Sessions.ID_BYTES, Base64.getUrlDecoder().decode(s.session().csrfToken()).length);
    assertNotEquals(s.id(), s.session().csrfToken());

    // The same seed gives the same id (the generator is the only source), another seed another one.
    assertEquals(s.id(), Sessions.mint("x", Role.VIEWER, NOW, Duration.ofHours(1), new SplittableRandom(1)).id());
    assertNotEquals(s.id(), Sessions.mint("x", Role.VIEWER, NOW, Duration.ofHours(1), new SplittableRandom(2)).id());

    Sessions.Session session = s.session();
    assertTrue(session.liveAt(NOW.plus(Duration.ofHours(8)).minusMillis(1)));
    assertFalse(session.liveAt(NOW.plus(Duration.ofHours(8))), "ends at expiresAt exactly");
  }

  @Test
  void theCsrfTokenIsPerSessionAndCheckedExactly() {
    SplittableRandom random = new SplittableRandom(2);
    Sessions.Session a = Sessions.mint("a", Role.OPERATOR, NOW, Duration.ofHours(1), random).session();
    Sessions.Session b = Sessions.mint("b", Role.OPERATOR, NOW, Duration.ofHours(1), random).session();
    assertNotEquals(a.csrfToken(), b.csrfToken());
    assertTrue(a.csrfMatches(a.csrfToken()));
    assertFalse(a.csrfMatches(b.csrfToken()));
    assertFalse(a.csrfMatches(null));
    assertFalse(a.csrfMatches(""));
    assertFalse(a.csrfMatches(a.csrfToken().substring(1)));
    assertFalse(a.csrfMatches(a.csrfToken() + "x"));
  }

  @Test
  void theItemIsKeyedByTheIdsHashAndHoldsNoUsableCookie() {
    Sessions.Started s = Sessions.mint("ann", Role.ADMIN, NOW, Duration.ofMinutes(30), new SplittableRandom(3));
    Map<String, AttributeValue> item = Sessions.toItem(s);

    assertEquals(Base64.getEncoder().encodeToString(Credentials.sha256(s.id())), item.get(Sessions.ID_HASH).s());
    assertEquals(Sessions.key(s.id()), item.get(Sessions.ID_HASH).s());
    for (AttributeValue v : item.values()) {
      assertFalse(String.valueOf(v.s()).contains(s.id()) || String.valueOf(v.n()).contains(s.id()),
          "the session id itself is stored nowhere: " + item);
    }
    assertEquals("ann", item.get(Sessions.USER).s());
    assertEquals("admin", item.get(Sessions.ROLE).s());
    assertEquals(s.session().csrfToken(), item.get(Sessions.CSRF_TOKEN).s());
    assertEquals(Long.toString(NOW.toEpochMilli()), item.get(Sessions.CREATED_AT).n());
    long expiresAtMillis = NOW.plus(Duration.ofMinutes(30)).toEpochMilli();
    assertEquals(Long.toString(expiresAtMillis), item.get(Sessions.EXPIRES_AT).n());
    // DynamoDB's TTL is in epoch seconds, rounded up so that it never deletes a session before it ends.
    assertEquals(Long.toString(expiresAtMillis / 1000 + 1), item.get(Sessions.TTL_EPOCH_SECONDS).n());

    assertEquals(s.session(), Sessions.fromItem(item));
  }

  @Test
  void anExactSecondsExpiryIsNotRoundedUp() {
    Instant whole = Instant.parse("2026-11-22T10:00:00Z");
    Map<String, AttributeValue> item = Sessions.toItem(
        Sessions.mint("a", Role.VIEWER, whole, Duration.ofHours(1), new SplittableRandom(4)));
    assertEquals(Long.toString(whole.plus(Duration.ofHours(1)).getEpochSecond()),
        item.get(Sessions.TTL_EPOCH_SECONDS).n());
  }

  @Test
  void anItemThisClassDidNotWriteIsRefused() {
    Map<String, AttributeValue> item = new HashMap<>(Sessions.toItem(
        Sessions.mint("a", Role.VIEWER, NOW, Duration.ofHours(1), new SplittableRandom(5))));
    item.put(Sessions.ROLE, AttributeValue.fromS("superuser"));
    assertThrows(IllegalStateException.class, () -> Sessions.fromItem(item));
    item.remove(Sessions.ROLE);
    assertThrows(IllegalStateException.class, () -> Sessions.fromItem(item));
  }

  @Test
  void onlyACookieValueShapedLikeAnIdIsLookedUp() {
    assertFalse(Sessions.wellFormed(null));
    assertFalse(Sessions.wellFormed(""));
    assertFalse(Sessions.wellFormed("x".repeat(Sessions.MAX_ID_LENGTH + 1)));
    assertTrue(Sessions.wellFormed(Sessions.mint("a", Role.VIEWER, NOW, Duration.ofHours(1),
        new SplittableRandom(6)).id()));
  }
}
