package dev.sluice.console.auth;

import dev.sluice.storekit.dynamo.TtlTable;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Login sessions, in a DynamoDB table shared by every console instance, so a session survives a restart and any
 * instance behind one address serves any request (no sticky sessions).
 *
 * <p>A session id is 32 random bytes, and lives only in the user's HttpOnly cookie: the table's hash key
 * ({@value #ID_HASH}) is the id's SHA-256, so the table holds no usable cookie. Each session has its own CSRF token
 * (the synchronizer-token pattern): the page reads it from {@code GET /api/v1/session} and sends it back in
 * {@code X-CSRF-Token}. An item also carries {@value #TTL_EPOCH_SECONDS}, DynamoDB's TTL attribute, so DynamoDB
 * deletes expired sessions itself; it does so up to days late, so {@link #find} also treats an expired item as absent.
 *
 * <p>No per-instance cache: a cache could not see a sign-out made on another instance, so a stolen cookie would
 * outlive its logout there. Every cookie request is one strongly consistent GetItem instead (a sign-out or sign-in on
 * another instance is seen at once; an eventually consistent read could still return a deleted session).
 *
 * <p>The table also holds the sign-in attempt records of {@link SignInAttempts} ({@link #attempts()}), under keys
 * that contain {@code #}, which a session's base64 key never does.
 *
 * <p>Every SDK call runs on a worker ({@link WorkerTable#blocking}, unordered: sessions are independent) and completes
 * on the caller's context.
 */
public final class Sessions {
  static final int ID_BYTES = 32;
  /** The longest cookie value looked up; an id is 43 characters. Longer ones are not worth a read. */
  static final int MAX_ID_LENGTH = 100;
  /** Hash key: base64 of the SHA-256 of the session id. */
  public static final String ID_HASH = "idHash";
  static final String USER = "user";
  static final String ROLE = "role";
  static final String CSRF_TOKEN = "csrfToken";
  /** Epoch millis. */
  static final String CREATED_AT = "createdAt";
  /** Epoch millis: the session ends then. */
  static final String EXPIRES_AT = "expiresAt";
  /** Epoch seconds, rounded up from {@link #EXPIRES_AT}: DynamoDB's TTL attribute. */
  public static final String TTL_EPOCH_SECONDS = "ttlEpochSeconds";
  /** The table: sessions and sign-in attempt records, expiring by DynamoDB's TTL. */
  static final TtlTable TABLE = TtlTable.keyedBy(ID_HASH).expiringOn(TTL_EPOCH_SECONDS);

  /** One login. {@code csrfToken} is sent to the page; the session id never is (it lives in the HttpOnly cookie). */
  public record Session(Principal principal, String csrfToken, Instant createdAt, Instant expiresAt) {
    public Session {
      // Every component is required: List.of refuses a null one, at once.
      List.of(principal, csrfToken, createdAt, expiresAt);
    }

    /** Whether {@code presented} is this session's CSRF token; constant time. */
    public boolean csrfMatches(String presented) {
      return presented != null && MessageDigest.isEqual(
          presented.getBytes(StandardCharsets.UTF_8), csrfToken.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the session still holds at {@code now}; it ends at {@link #expiresAt} exactly. */
    public boolean liveAt(Instant now) {
      return now.isBefore(expiresAt);
    }
  }

  /** A session just started, with the id that goes into the cookie. */
  public record Started(String id, Session session) {}

  /**
   * The table already held a session under the new id's hash: with 256-bit random ids that means the random source
   * repeats itself (a broken or badly seeded generator), so nothing is overwritten and the sign-in fails.
   */
  public static final class IdTaken extends RuntimeException {
    public IdTaken() {
      super("a new session id was already in the sessions table: the random source repeats itself", null, false,
          false);
    }
  }

  private final WorkerTable table;
  private final Duration ttl;
  private final Clock clock;
  private final RandomGenerator random;

  /** @param random the source of ids and CSRF tokens: a {@code SecureRandom} outside tests */
  public Sessions(Vertx vertx, DynamoDbClient dynamo, String table, Duration ttl, Clock clock, RandomGenerator random) {
    this.table = new WorkerTable(vertx, dynamo, table, clock);
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** As configured: {@code settings}' table and TTL, the system clock, and a {@code SecureRandom}. */
  public static Sessions of(Vertx vertx, DynamoDbClient dynamo, AuthSettings settings) {
    return new Sessions(vertx, dynamo, settings.sessionTable(), settings.sessionTtl(), Clock.systemUTC(),
        new SecureRandom());
  }

  /** How long a session lasts from sign-in (the cookie's Max-Age too). */
  public Duration ttl() {
    return ttl;
  }

  public String table() {
    return table.name();
  }

  /** The clock sessions, and sign-in attempts, are judged by. */
  public Clock clock() {
    return clock;
  }

  /** The sign-in attempt records, kept in this table. */
  public SignInAttempts attempts() {
    return new SignInAttempts(table);
  }

  /**
   * Starts a session: a conditional put, so an existing item is never overwritten (fails with {@link IdTaken} if the
   * id's hash is already there).
   */
  public Future<Started> start(String name, Role role) {
    // SecureRandom is thread-safe and non-blocking (urandom) once seeded, so ids are drawn on the caller's thread.
    Started started = mint(name, role, clock.instant(), ttl, random);
    Map<String, AttributeValue> item = toItem(started);
    return table.blocking(() -> {
      if (!table.putIf(item, b -> b.conditionExpression("attribute_not_exists(#k)")
          .expressionAttributeNames(Map.of("#k", ID_HASH)))) {
        throw new IdTaken();
      }
      return started;
    });
  }

  /** The live session with this cookie value; none if there is none, or it has expired (DynamoDB deletes late). */
  public Future<Optional<Session>> find(String id) {
    if (!wellFormed(id)) {
      return Future.succeededFuture(Optional.empty());
    }
    Map<String, AttributeValue> key = Map.of(ID_HASH, AttributeValue.fromS(key(id)));
    return table.blocking(() -> table.getNow(key).map(Sessions::fromItem))
        .map(found -> found.filter(s -> s.liveAt(clock.instant())));
  }

  /** Ends the session with this cookie value, if there is one; on every instance at once. */
  public Future<Void> end(String id) {
    if (!wellFormed(id)) {
      return Future.succeededFuture();
    }
    Map<String, AttributeValue> key = Map.of(ID_HASH, AttributeValue.fromS(key(id)));
    return table.blocking(() -> {
      table.dynamo().deleteItem(b -> b.tableName(table.name()).key(key));
      return null;
    });
  }

  // ---- the pure parts (unit tested) ------------------------------------------------------------------------------

  /** A new session started {@code now}, with a fresh random id and CSRF token; nothing stored yet. */
  static Started mint(String name, Role role, Instant now, Duration ttl, RandomGenerator random) {
    String id = randomToken(random);
    Session s = new Session(new Principal(name, role, Principal.Via.SESSION), randomToken(random), now,
        now.plus(ttl));
    return new Started(id, s);
  }

  /** Whether a cookie value could be a session id at all; anything else is not looked up. */
  static boolean wellFormed(String id) {
    return id != null && !id.isEmpty() && id.length() <= MAX_ID_LENGTH;
  }

  /** The table key of a session id: its SHA-256, base64. */
  static String key(String id) {
    return Base64.getEncoder().encodeToString(Credentials.sha256(id));
  }

  static Map<String, AttributeValue> toItem(Started started) {
    Session s = started.session();
    long expiresAtMillis = s.expiresAt().toEpochMilli();
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(ID_HASH, AttributeValue.fromS(key(started.id())));
    item.put(USER, AttributeValue.fromS(s.principal().name()));
    item.put(ROLE, AttributeValue.fromS(s.principal().role().label()));
    item.put(CSRF_TOKEN, AttributeValue.fromS(s.csrfToken()));
    item.put(CREATED_AT, AttributeValue.fromN(Long.toString(s.createdAt().toEpochMilli())));
    item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAtMillis)));
    // Rounded up: DynamoDB never deletes a session before it has ended.
    item.put(TTL_EPOCH_SECONDS, AttributeValue.fromN(Long.toString(TtlTable.ttlSeconds(expiresAtMillis))));
    return item;
  }

  /** @throws IllegalStateException for an item this class did not write (an unknown role, a missing attribute) */
  static Session fromItem(Map<String, AttributeValue> item) {
    Role role = Role.parse(string(item, ROLE))
        .orElseThrow(() -> new IllegalStateException("session item with an unknown role"));
    return new Session(new Principal(string(item, USER), role, Principal.Via.SESSION), string(item, CSRF_TOKEN),
        Instant.ofEpochMilli(number(item, CREATED_AT)), Instant.ofEpochMilli(number(item, EXPIRES_AT)));
  }

  private static String string(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null || v.s() == null) {
      throw new IllegalStateException("session item without " + name);
    }
    return v.s();
  }

  private static long number(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null || v.n() == null) {
      throw new IllegalStateException("session item without " + name);
    }
    return Long.parseLong(v.n());
  }

  private static String randomToken(RandomGenerator random) {
    byte[] bytes = new byte[ID_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  // ---- the table -------------------------------------------------------------------------------------------------

  /**
   * Creates the table if it does not exist (hash key {@value #ID_HASH}, on-demand), waits until it is active, and
   * turns DynamoDB's TTL on {@value #TTL_EPOCH_SECONDS}. Blocking; idempotent. True if it created the table.
   */
  public static boolean ensureTable(DynamoDbClient dynamo, String table) {
    return TABLE.ensure(dynamo, table);
  }
}
