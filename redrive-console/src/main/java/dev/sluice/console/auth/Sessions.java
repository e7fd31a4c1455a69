package dev.sluice.console.auth;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Login sessions, in memory. A session id is 32 random bytes; the map is keyed by the id's SHA-256, so the heap holds
 * no usable cookie. Each session has its own CSRF token (the synchronizer-token pattern): the page reads it from
 * {@code GET /api/v1/session} and sends it back in {@code X-CSRF-Token}.
 *
 * <p>Thread-safe (several event loops may share it). Bounded: at most {@code maxSessions}; when full, expired sessions
 * go first, then the oldest. A restart of the console ends every session (users sign in again); several console
 * instances behind one address need sticky sessions.
 */
public final class Sessions {
  static final int ID_BYTES = 32;

  /** One login. {@code csrfToken} is sent to the page; the session id never is (it lives in the HttpOnly cookie). */
  public record Session(Principal principal, String csrfToken, Instant createdAt, Instant expiresAt) {
    public Session {
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(csrfToken, "csrfToken");
    }

    /** Whether {@code presented} is this session's CSRF token; constant time. */
    public boolean csrfMatches(String presented) {
      return presented != null && MessageDigest.isEqual(
          presented.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          csrfToken.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** A session just started, with the id that goes into the cookie. */
  public record Started(String id, Session session) {}

  private final Map<String, Session> byIdHash = new ConcurrentHashMap<>();
  private final Clock clock;
  private final RandomGenerator random;
  private final Duration ttl;
  private final int maxSessions;

  /** @param random the source of ids and CSRF tokens: a {@code SecureRandom} outside tests */
  public Sessions(Clock clock, RandomGenerator random, Duration ttl, int maxSessions) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.maxSessions = maxSessions;
  }

  public Started start(String name, Role role) {
    if (byIdHash.size() >= maxSessions) {
      makeRoom();
    }
    Instant now = clock.instant();
    String id = randomToken();
    Session s = new Session(new Principal(name, role, Principal.Via.SESSION), randomToken(), now, now.plus(ttl));
    byIdHash.put(key(id), s);
    return new Started(id, s);
  }

  /** The live session with this cookie value; an expired one is removed and not found. */
  public Optional<Session> find(String id) {
    if (id == null || id.isEmpty() || id.length() > 100) {
      return Optional.empty();
    }
    String k = key(id);
    Session s = byIdHash.get(k);
    if (s == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(s.expiresAt())) {
      byIdHash.remove(k, s);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  public void end(String id) {
    if (id != null && !id.isEmpty() && id.length() <= 100) {
      byIdHash.remove(key(id));
    }
  }

  public int size() {
    return byIdHash.size();
  }

  public Duration ttl() {
    return ttl;
  }

  private void makeRoom() {
    Instant now = clock.instant();
    byIdHash.entrySet().removeIf(e -> !now.isBefore(e.getValue().expiresAt()));
    while (byIdHash.size() >= maxSessions) {
      byIdHash.entrySet().stream().min(Comparator.comparing(e -> e.getValue().createdAt()))
          .ifPresent(oldest -> byIdHash.remove(oldest.getKey(), oldest.getValue()));
    }
  }

  private String randomToken() {
    byte[] bytes = new byte[ID_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String key(String id) {
    return Base64.getEncoder().encodeToString(Credentials.sha256(id));
  }
}
