package dev.sluice.console.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.ConsoleVerticle;
import dev.sluice.console.config.ConsoleConfig;
import dev.sluice.console.redrive.RedriveService;
import dev.sluice.ingest.kafka.EventAppender;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.aws.AwsClients;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Sign-in sessions shared through DynamoDB, against DynamoDB Local: the stack's console and consoles of the test's own
 * (built as Services builds one, on the stack's tables) are the "several instances". A session started on one is
 * accepted by another, a sign-out on one is refused by the other at once, a restarted console still knows the cookie,
 * an expired session is refused, and a change still needs the session's CSRF token whichever instance answers.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class ConsoleSessionsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** Never follows redirects, keeps no cookies: every test says exactly what it sends. */
  private final HttpClient raw = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  // ---- a console of the test's own -------------------------------------------------------------------------------

  private static SluiceConfig config(Stack stack) {
    return SluiceConfig.from(RawConfig.of(Map.of(
        "sluice.kafka.bootstrap.servers", stack.engines().bootstrapServers(),
        "sluice.dynamodb.endpoint", stack.engines().dynamoEndpoint(),
        "sluice.sqs.endpoint", stack.engines().sqsEndpoint())));
  }

  /** Another console instance on the stack's tables (the same sessions table), with its own Vert.x and clients. */
  private static final class OwnConsole implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final DynamoDbClient dynamo;
    final SqsClient sqs;
    final ConsoleVerticle verticle;

    /** @param clock the clock its sessions judge expiry by */
    OwnConsole(Stack stack, AuthSettings auth, Clock clock) throws Exception {
      SluiceConfig config = config(stack);
      dynamo = AwsClients.dynamo(config.aws());
      sqs = AwsClients.sqs(config.aws());
      EventAppender appender = RedriveService.appender(vertx, stack.kafkaProps(), Duration.ofSeconds(5))
          .await(30, TimeUnit.SECONDS);
      verticle = new ConsoleVerticle(new ConsoleConfig("127.0.0.1", 0, auth),
          SignInConsole.parts(vertx, dynamo, sqs, config, appender, auth, clock),
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      vertx.deployVerticle(verticle).await(30, TimeUnit.SECONDS);
    }

    OwnConsole(Stack stack) throws Exception {
      this(stack, AuthSettings.dev(), Clock.systemUTC());
    }

    String url() {
      return "http://127.0.0.1:" + verticle.actualPort();
    }

    @Override
    public void close() throws Exception {
      try {
        vertx.close().await(30, TimeUnit.SECONDS);
      } finally {
        dynamo.close();
        sqs.close();
      }
    }
  }

  // ---- HTTP ------------------------------------------------------------------------------------------------------

  private HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return raw.send(b.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> signIn(String console, String user, String password) {
    String form = "username=" + enc(user) + "&password=" + enc(password) + "&next=" + enc("/");
    return send(HttpRequest.newBuilder(URI.create(console + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  /** "sluice_session=..." of a successful sign-in. */
  private String cookie(String console, String user, String password) {
    HttpResponse<String> r = signIn(console, user, password);
    assertEquals(303, r.statusCode(), r.body());
    return cookieOf(r);
  }

  private static String cookieOf(HttpResponse<String> signedIn) {
    String setCookie = signedIn.headers().firstValue("set-cookie").orElseThrow(() -> new AssertionError(
        "no cookie; status " + signedIn.statusCode()));
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private HttpResponse<String> session(String console, String cookie) {
    return send(HttpRequest.newBuilder(URI.create(console + ConsoleAuth.SESSION_API)).header("Cookie", cookie).GET());
  }

  private String csrf(String console, String cookie) {
    HttpResponse<String> r = session(console, cookie);
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("csrfToken");
  }

  private HttpResponse<String> signOut(String console, String cookie, String csrfOrNull) {
    return send(HttpRequest.newBuilder(URI.create(console + "/logout"))
        .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(csrfOrNull == null ? "" : ConsoleAuth.CSRF_FIELD + "="
            + enc(csrfOrNull))));
  }

  /** A redrive of an item that does not exist: past the guard it is 404; the guard answers 401/403 itself. */
  private HttpResponse<String> redriveNothing(String console, String cookie, String csrfOrNull) {
    return redriveNothing(console, cookie, csrfOrNull, HttpRequest.BodyPublishers.noBody());
  }

  private HttpResponse<String> redriveNothing(String console, String cookie, String csrfOrNull,
      HttpRequest.BodyPublisher body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(console + "/api/v1/quarantine/"
            + UUID.randomUUID() + "/redrive"))
        .header("Cookie", cookie).header("Content-Type", "application/json")
        .POST(body);
    if (csrfOrNull != null) {
      b.header(ConsoleAuth.CSRF_HEADER, csrfOrNull);
    }
    return send(b);
  }

  private static void problem(HttpResponse<String> r, int status, String slug) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"),
        r.headers().toString());
    assertEquals("https://sluice.dev/problems/" + slug, new JsonObject(r.body()).getString("type"), r.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The table key of a cookie: the SHA-256 of its id, base64 (computed here independently of Sessions). */
  private static Map<String, AttributeValue> keyOf(String cookie) throws Exception {
    String id = cookie.substring(cookie.indexOf('=') + 1);
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
    return Map.of(Sessions.ID_HASH, AttributeValue.fromS(Base64.getEncoder().encodeToString(hash)));
  }

  private static Map<String, AttributeValue> item(Stack stack, String cookie) throws Exception {
    Map<String, AttributeValue> key = keyOf(cookie);
    return stack.dynamo().getItem(b -> b.tableName(AuthSettings.DEFAULT_SESSION_TABLE).key(key)
        .consistentRead(true)).item();
  }

  // ---- the tests -------------------------------------------------------------------------------------------------

  @Test
  void aSessionStartedOnOneConsoleIsAcceptedByAnotherAndStillNeedsItsCsrfToken(Stack stack) throws Exception {
    try (OwnConsole other = new OwnConsole(stack)) {
      String cookie = cookie(stack.consoleUrl(), "operator", "operator");
      String csrf = csrf(stack.consoleUrl(), cookie);

      HttpResponse<String> there = session(other.url(), cookie);
      assertEquals(200, there.statusCode(), there.body());
      JsonObject s = new JsonObject(there.body());
      assertEquals("operator", s.getString("user"));
      assertEquals("operator", s.getString("role"));
      assertEquals("session", s.getString("via"));
      assertEquals(csrf, s.getString("csrfToken"), "one session, one CSRF token, whichever instance answers");

      // A change on the other instance: refused without the token or with a wrong one, let through with it.
      problem(redriveNothing(other.url(), cookie, null), 403, "csrf-token-invalid");
      problem(redriveNothing(other.url(), cookie, csrf + "x"), 403, "csrf-token-invalid");
      String otherSessionsToken = csrf(other.url(), cookie(other.url(), "admin", "admin"));
      problem(redriveNothing(other.url(), cookie, otherSessionsToken), 403, "csrf-token-invalid");
      HttpResponse<String> allowed = redriveNothing(other.url(), cookie, csrf);
      assertEquals(404, allowed.statusCode(), "past the guard, the item is not there: " + allowed.body());
      // A body waits (paused) while the session is read, then reaches the route's BodyHandler whole: a small one is
      // read, one over the limit is refused as such rather than lost or hung.
      HttpResponse<String> small = redriveNothing(other.url(), cookie, csrf, HttpRequest.BodyPublishers.ofString(
          "{\"data\":{\"padding\":\"" + "x".repeat(200_000) + "\"}}"));
      assertEquals(404, small.statusCode(), small.body());
      problem(redriveNothing(other.url(), cookie, csrf, HttpRequest.BodyPublishers.ofByteArray(
          new byte[(int) ConsoleVerticle.BODY_LIMIT_BYTES + 1])), 413, "body-too-large");

      // A viewer's session is read-only on every instance.
      String viewer = cookie(other.url(), "viewer", "viewer");
      problem(redriveNothing(stack.consoleUrl(), viewer, csrf(stack.consoleUrl(), viewer)), 403, "forbidden");
    }
  }

  @Test
  void aSignOutOnOneConsoleIsRefusedOnTheOtherAtOnce(Stack stack) throws Exception {
    try (OwnConsole other = new OwnConsole(stack)) {
      String cookie = cookie(other.url(), "operator", "operator");
      String csrf = csrf(stack.consoleUrl(), cookie);

      // Signing out needs the token too (else a cross-site form could sign anyone out).
      problem(signOut(stack.consoleUrl(), cookie, null), 403, "csrf-token-invalid");
      assertEquals(200, session(other.url(), cookie).statusCode());

      HttpResponse<String> out = signOut(stack.consoleUrl(), cookie, csrf);
      assertEquals(303, out.statusCode(), out.body());
      assertEquals("/login", out.headers().firstValue("location").orElseThrow());
      assertTrue(out.headers().firstValue("set-cookie").orElseThrow().contains("Max-Age=0"));

      problem(session(other.url(), cookie), 401, "unauthenticated");
      HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(other.url() + "/quarantine/abc"))
          .header("Cookie", cookie).GET());
      assertEquals(303, page.statusCode());
      assertEquals("/login?next=%2Fquarantine%2Fabc", page.headers().firstValue("location").orElseThrow());
      problem(redriveNothing(other.url(), cookie, csrf), 401, "unauthenticated");
      assertTrue(item(stack, cookie).isEmpty(), "the item is deleted");
    }
  }

  @Test
  void aRestartedConsoleStillAcceptsTheCookie(Stack stack) throws Exception {
    String cookie;
    String csrf;
    try (OwnConsole before = new OwnConsole(stack)) {
      cookie = cookie(before.url(), "viewer", "viewer");
      csrf = csrf(before.url(), cookie);
    }
    try (OwnConsole after = new OwnConsole(stack)) {
      HttpResponse<String> r = session(after.url(), cookie);
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("viewer", new JsonObject(r.body()).getString("user"));
      assertEquals(csrf, new JsonObject(r.body()).getString("csrfToken"));
    }
  }

  @Test
  void anExpiredSessionIsRefusedBeforeDynamoDbDeletesIt(Stack stack) throws Exception {
    String cookie = cookie(stack.consoleUrl(), "operator", "operator");
    Map<String, AttributeValue> item = item(stack, cookie);
    assertFalse(item.isEmpty());
    String id = cookie.substring(cookie.indexOf('=') + 1);
    assertFalse(item.toString().contains(id), "the table holds no usable cookie: " + item);
    long expiresAtMillis = Long.parseLong(item.get("expiresAt").n());
    assertEquals((expiresAtMillis + 999) / 1000, Long.parseLong(item.get(Sessions.TTL_EPOCH_SECONDS).n()),
        "DynamoDB's TTL attribute, in epoch seconds");
    assertEquals(AuthSettings.DEFAULT_SESSION_TTL.toMillis(),
        expiresAtMillis - Long.parseLong(item.get("createdAt").n()));
    TimeToLiveStatus ttl = stack.dynamo().describeTimeToLive(b -> b.tableName(AuthSettings.DEFAULT_SESSION_TABLE))
        .timeToLiveDescription().timeToLiveStatus();
    assertTrue(ttl == TimeToLiveStatus.ENABLED || ttl == TimeToLiveStatus.ENABLING,
        "the console's start-up turned the table's TTL on: " + ttl);

    // A console whose clock is past the session's end: the item is still there, the session is not.
    Clock later = Clock.offset(Clock.systemUTC(), AuthSettings.DEFAULT_SESSION_TTL.plusSeconds(1));
    try (OwnConsole afterTheEnd = new OwnConsole(stack, AuthSettings.dev(), later)) {
      problem(session(afterTheEnd.url(), cookie), 401, "unauthenticated");
      assertFalse(item(stack, cookie).isEmpty(), "DynamoDB has not deleted it yet");
    }
    assertEquals(200, session(stack.consoleUrl(), cookie).statusCode(), "not yet ended by the real clock");
  }

  @Test
  void theCookieLastsTheConfiguredTtlAndIsSecureWhenConfigured(Stack stack) throws Exception {
    AuthSettings dev = AuthSettings.dev();
    AuthSettings secure = new AuthSettings(dev.credentials(), true, Duration.ofMinutes(30), true,
        dev.sessionTable(), dev.operatorBulkLimit());
    try (OwnConsole console = new OwnConsole(stack, secure, Clock.systemUTC())) {
      HttpResponse<String> r = signIn(console.url(), "operator", "operator");
      assertEquals(303, r.statusCode(), r.body());
      String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
      String lower = setCookie.toLowerCase(Locale.ROOT);
      assertTrue(lower.contains("; secure"), setCookie);
      assertTrue(lower.contains("; httponly"), setCookie);
      assertTrue(setCookie.contains("Max-Age=1800"), setCookie);
      Instant expiresAt = Instant.parse(new JsonObject(session(console.url(), cookieOf(r)).body())
          .getString("expiresAt"));
      assertTrue(Duration.between(Instant.now(), expiresAt).compareTo(Duration.ofMinutes(31)) < 0, expiresAt::toString);
    }
  }

  @Test
  void startingASessionNeverOverwritesOne(Stack stack) throws Exception {
    // Two session stores drawing the same "random" ids: the second start finds the id's hash taken and fails.
    long seed = new java.security.SecureRandom().nextLong();
    Vertx vertx = Vertx.vertx();
    try {
      Sessions a = new Sessions(vertx, stack.dynamo(), AuthSettings.DEFAULT_SESSION_TABLE, Duration.ofHours(1),
          Clock.systemUTC(), new SplittableRandom(seed));
      Sessions b = new Sessions(vertx, stack.dynamo(), AuthSettings.DEFAULT_SESSION_TABLE, Duration.ofHours(1),
          Clock.systemUTC(), new SplittableRandom(seed));
      Sessions.Started first = a.start("ann", Role.VIEWER).await(30, TimeUnit.SECONDS);
      ExecutionException taken = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> b.start("bob", Role.ADMIN).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
      assertInstanceOf(Sessions.IdTaken.class, taken.getCause());
      Optional<Sessions.Session> still = a.find(first.id()).await(30, TimeUnit.SECONDS);
      assertNotNull(still.orElse(null));
      assertEquals("ann", still.get().principal().name());
      assertEquals(Role.VIEWER, still.get().principal().role());

      a.end(first.id()).await(30, TimeUnit.SECONDS);
      assertTrue(b.find(first.id()).await(30, TimeUnit.SECONDS).isEmpty());
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
