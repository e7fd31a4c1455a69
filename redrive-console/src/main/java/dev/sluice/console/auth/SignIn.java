package dev.sluice.console.auth;

import dev.sluice.console.problem.ConsoleError.CsrfRejected;
import dev.sluice.console.problem.ConsoleError.SignInThrottled;
import dev.sluice.console.problem.Problems;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The sign-in form: {@code GET /login} shows it, {@code POST /login} checks it. In order, a sign-in is refused
 * <ol>
 *   <li>when posted from another origin than the console's public one (403; login CSRF),</li>
 *   <li>when a field is empty or too long, or no user is configured at all (401),</li>
 *   <li>when {@value #MAX_CONCURRENT_LOGINS} password checks are already running on this instance (429),</li>
 *   <li>when its user name or address has used up its attempts ({@link LoginThrottle}: 429 with {@code Retry-After},
 *       the right password included), or the attempt records cannot be read (503: no password is checked then),</li>
 *   <li>when the password is wrong (401).</li>
 * </ol>
 * A 429 is the form with a message for a browser (which asks for {@code text/html}), problem+json for anyone else.
 */
public final class SignIn {
  /**
   * Password checks run on worker threads and each costs up to a quarter second of CPU; more at once than this are
   * refused (429) instead of queued, so a flood of sign-ins cannot starve the redrives.
   */
  static final int MAX_CONCURRENT_LOGINS = 4;
  static final String BAD_LOGIN = "Wrong user name or password.";
  static final String FORWARDED_FOR = "X-Forwarded-For";

  private final AuthSettings settings;
  private final Sessions sessions;
  private final LoginThrottle throttle;
  private final Supplier<PublicOrigin> publicOrigin;
  private final PasswordHash unknownUser;
  private final AtomicInteger loginsInFlight = new AtomicInteger();

  /**
   * @param publicOrigin the origin sign-ins must come from: the configured one, or the console's own address once it
   *     listens
   */
  public SignIn(AuthSettings settings, Sessions sessions, LoginThrottle throttle, Supplier<PublicOrigin> publicOrigin) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.throttle = Objects.requireNonNull(throttle, "throttle");
    this.publicOrigin = Objects.requireNonNull(publicOrigin, "publicOrigin");
    // An unknown user name is checked against a decoy as costly as the costliest real hash, so that the time taken
    // does not tell which names exist. Its random "hash" matches no password, and building it derives nothing.
    int iterations = settings.credentials().users().stream().mapToInt(u -> u.password().iterations()).max()
        .orElse(PasswordHash.DEFAULT_ITERATIONS);
    SecureRandom random = new SecureRandom();
    byte[] salt = new byte[PasswordHash.SALT_BYTES];
    byte[] hash = new byte[PasswordHash.HASH_BYTES];
    random.nextBytes(salt);
    random.nextBytes(hash);
    this.unknownUser = new PasswordHash(iterations, salt, hash);
  }

  void page(RoutingContext ctx) {
    ConsoleAuth.html(ctx, 200, LoginPage.render(ConsoleAuth.safeNext(ctx.request().getParam("next")), null));
  }

  void login(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String next = ConsoleAuth.safeNext(request.getFormAttribute("next"));
    PublicOrigin origin = publicOrigin.get();
    if (!origin.admitsSignIn(request.getHeader(HttpHeaders.ORIGIN), request.getHeader(HttpHeaders.REFERER))) {
      // SameSite does not cover sign-in itself: refuse a form posted from another site (login CSRF). The Host
      // header is the client's to choose, so it is never what the origin is compared with.
      Problems.send(ctx, new CsrfRejected("sign-in must come from the console's own page at " + origin));
      return;
    }
    String username = Optional.ofNullable(request.getFormAttribute("username")).orElse("").strip();
    String password = Optional.ofNullable(request.getFormAttribute("password")).orElse("");
    if (username.isEmpty() || password.isEmpty() || username.length() > 64 || password.length() > 1024
        || settings.credentials().users().isEmpty()) {
      // Nothing to check (and with no users configured, no password to guess): refused at once, not counted.
      ConsoleAuth.html(ctx, 401, LoginPage.render(next, BAD_LOGIN));
      return;
    }
    if (loginsInFlight.incrementAndGet() > MAX_CONCURRENT_LOGINS) {
      loginsInFlight.decrementAndGet();
      ctx.response().putHeader("Retry-After", "1");
      ConsoleAuth.html(ctx, 429, LoginPage.render(next, "Too many sign-ins at once; try again in a moment."));
      return;
    }
    LoginThrottle.Attempt attempt = new LoginThrottle.Attempt(username,
        settings.credentials().user(username).isPresent(),
        ClientAddress.of(request.remoteAddress().hostAddress(), request.headers().getAll(FORWARDED_FOR),
            settings.signIn().trustedProxies()));
    throttle.admit(attempt).onComplete(admitted -> {
      if (admitted.failed()) {
        loginsInFlight.decrementAndGet();
        ConsoleAuth.sessionStoreFailed(ctx, admitted.cause());
      } else if (admitted.result() instanceof LoginThrottle.Admission.Throttled t) {
        loginsInFlight.decrementAndGet();
        throttled(ctx, next, t.retryAfter());
      } else {
        checkPassword(ctx, next, attempt, password);
      }
    });
  }

  private void checkPassword(RoutingContext ctx, String next, LoginThrottle.Attempt attempt, String password) {
    // PBKDF2 is deliberately slow: off the event loop, unordered (logins are independent).
    ctx.vertx().executeBlocking(() -> check(attempt.userName(), password), false)
        .andThen(done -> loginsInFlight.decrementAndGet())
        .onSuccess(user -> {
          if (user.isEmpty()) {
            ConsoleAuth.html(ctx, 401, LoginPage.render(next, BAD_LOGIN));
            return;
          }
          // A fresh id on every sign-in (no session fixation); a session the browser still had is ended first.
          Cookie old = ctx.request().getCookie(ConsoleAuth.SESSION_COOKIE);
          throttle.succeeded(attempt)
              .compose(reset -> old == null ? Future.<Void>succeededFuture() : sessions.end(old.getValue()))
              .compose(ended -> sessions.start(user.get().name(), user.get().role()))
              .onSuccess(started -> {
                ctx.response().addCookie(ConsoleAuth.sessionCookie(started.id(), sessions.ttl().toSeconds(),
                    settings.secureCookie()));
                ConsoleAuth.redirect(ctx, next);
              })
              .onFailure(failure -> ConsoleAuth.sessionStoreFailed(ctx, failure));
        })
        .onFailure(failure -> Problems.send(ctx, failure));
  }

  private Optional<Credentials.User> check(String username, String password) {
    Optional<Credentials.User> user = settings.credentials().user(username);
    if (user.isEmpty()) {
      unknownUser.matches(password);
      return Optional.empty();
    }
    return user.get().password().matches(password) ? user : Optional.empty();
  }

  /** 429: the form saying when to try again for a browser, problem+json for a script; both with Retry-After. */
  private static void throttled(RoutingContext ctx, String next, Duration retryAfter) {
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    if (accept != null && accept.contains("text/html")) {
      ctx.response().putHeader("Retry-After", Long.toString(retryAfter.toSeconds()));
      ConsoleAuth.html(ctx, 429, LoginPage.render(next, "Too many sign-in attempts for this user name or from this "
          + "address. Try again in " + inWords(retryAfter) + "."));
    } else {
      Problems.send(ctx, new SignInThrottled(retryAfter.toSeconds()));
    }
  }

  /** "45 seconds", "15 minutes" (rounded up). */
  static String inWords(Duration d) {
    long seconds = d.toSeconds();
    if (seconds <= 90) {
      return seconds + (seconds == 1 ? " second" : " seconds");
    }
    long minutes = Math.floorDiv(seconds + 59, 60);
    return minutes + " minutes";
  }
}
