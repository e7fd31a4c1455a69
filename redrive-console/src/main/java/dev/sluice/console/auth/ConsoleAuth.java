package dev.sluice.console.auth;

import dev.sluice.console.problem.ConsoleError.CsrfRejected;
import dev.sluice.console.problem.ConsoleError.Forbidden;
import dev.sluice.console.problem.ConsoleError.Unauthenticated;
import dev.sluice.console.problem.ConsoleError.Unavailable;
import dev.sluice.console.problem.Problems;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Who may use the console, in front of every route: {@link #install} must run before any other route is added.
 *
 * <ul>
 *   <li>Every response gets a strict Content-Security-Policy (no inline script, no plugins, no framing, no
 *       {@code <base>}) and {@code X-Content-Type-Options: nosniff}.</li>
 *   <li>Public: {@code /login}, {@code /logout}, {@code /health/*}, {@code /metrics} and static assets (scripts,
 *       styles, images: no data in them). Everything else needs a principal: a bearer token
 *       ({@code Authorization: Bearer <token>}), else the session cookie from {@code POST /login}. Without one, a page
 *       is redirected to {@code /login?next=<page>} and anything else answers 401 problem+json with
 *       {@code WWW-Authenticate: Bearer}. Sessions are read from the shared table ({@link Sessions}); when it does
 *       not answer, a cookie request is 503, never let through.</li>
 *   <li>Any state-changing method (POST, PUT, PATCH, DELETE) needs a role that may {@link Role.Action#CHANGE}
 *       (viewers are read-only: 403), and, on a cookie session, the session's CSRF token in {@value #CSRF_HEADER}
 *       (403 otherwise). Bearer requests need no CSRF token: a browser never adds that header on its own.</li>
 *   <li>Handlers read the principal with {@link Principal#of} and mask payloads with {@link Redaction#of}.</li>
 *   <li>The sign-in form itself, with its origin check and attempt limits, is {@link SignIn}'s.</li>
 * </ul>
 */
public final class ConsoleAuth {
  public static final String SESSION_COOKIE = "sluice_session";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  /** The CSRF token's form field, for plain HTML forms (logout). */
  public static final String CSRF_FIELD = "csrf";
  public static final String SESSION_API = "/api/v1/session";
  /** The routing-context key of the request's session, when it came with a session cookie. */
  static final String SESSION_CONTEXT_KEY = "sluice.console.session";
  public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
      + "form-action 'self'";
  /** Sign-in bodies are two short fields. */
  static final long LOGIN_BODY_LIMIT = 8 * 1024;

  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  private static final Pattern ASSET = Pattern.compile("/[A-Za-z0-9._/-]*\\.(css|js|png|svg|ico|woff2?|map)");
  private static final System.Logger LOG = System.getLogger(ConsoleAuth.class.getName());

  private final AuthSettings settings;
  private final Sessions sessions;
  private final Redaction masking;
  private final SignIn signIn;

  /**
   * @param sessions the login sessions (shared by every console instance)
   * @param signIn the sign-in form, with its origin check and attempt limits
   */
  public ConsoleAuth(AuthSettings settings, Sessions sessions, SchemaRegistry registry, SignIn signIn) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.masking = Redaction.masking(registry);
    this.signIn = Objects.requireNonNull(signIn, "signIn");
    if (settings.credentials().isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "No console users or tokens are configured: nobody can sign in. Set "
          + "sluice.console.users.<name>.* (sluice hash-password) or sluice.console.dev.users=true in development.");
    }
  }

  public Sessions sessions() {
    return sessions;
  }

  public AuthSettings settings() {
    return settings;
  }

  /** Adds the guard in front of everything, then {@code /login}, {@code /logout} and {@code GET /api/v1/session}. */
  public void install(Router router) {
    router.route().handler(this::guard);
    router.get("/login").handler(signIn::page);
    router.post("/login")
        .handler(BodyHandler.create(false).setBodyLimit(LOGIN_BODY_LIMIT))
        .handler(signIn::login)
        .failureHandler(Problems.bodyFailure(LOGIN_BODY_LIMIT));
    router.post("/logout")
        .handler(BodyHandler.create(false).setBodyLimit(LOGIN_BODY_LIMIT))
        .handler(this::logout)
        .failureHandler(Problems.bodyFailure(LOGIN_BODY_LIMIT));
    router.get(SESSION_API).handler(this::session);
  }

  // ---- the guard --------------------------------------------------------------------------------------------------

  void guard(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "same-origin");
    if (isPublic(ctx.request().method(), ctx.normalizedPath())) {
      ctx.next();
      return;
    }
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      // An Authorization header is taken at its word: a wrong token is 401 even if a session cookie came along.
      if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        Problems.send(ctx, new Unauthenticated("only Authorization: Bearer <token> is accepted"));
        return;
      }
      Optional<Credentials.Token> token = settings.credentials().token(authorization.substring(7).strip());
      if (token.isEmpty()) {
        Problems.send(ctx, new Unauthenticated("the bearer token is not valid"));
        return;
      }
      admit(ctx, new Principal(token.get().name(), token.get().role(), Principal.Via.BEARER), Optional.empty());
      return;
    }
    Cookie cookie = ctx.request().getCookie(SESSION_COOKIE);
    if (cookie == null) {
      refuseWithoutSession(ctx, "sign in at /login, or send Authorization: Bearer <token>");
      return;
    }
    // The session is read from the shared table (a worker does the call). The body, if any, must wait for the
    // route's BodyHandler, which comes after this guard: paused until then, as Vert.x's own async handlers do.
    HttpServerRequest request = ctx.request();
    boolean ended = request.isEnded();
    if (!ended) {
      request.pause();
    }
    sessions.find(cookie.getValue()).onComplete(found -> {
      if (!ended) {
        request.resume();
      }
      if (found.failed()) {
        sessionStoreFailed(ctx, found.cause());
      } else if (found.result().isEmpty()) {
        refuseWithoutSession(ctx, "the session has ended; sign in again at /login");
      } else {
        admit(ctx, found.result().get().principal(), found.result());
      }
    });
  }

  /** No (live) session: a page goes to the sign-in form, anything else is 401. */
  private static void refuseWithoutSession(RoutingContext ctx, String detail) {
    if (isPage(ctx.request().method(), ctx.normalizedPath())) {
      redirect(ctx, "/login?next=" + URLEncoder.encode(requested(ctx.request()), StandardCharsets.UTF_8));
    } else {
      Problems.send(ctx, new Unauthenticated(detail));
    }
  }

  /** The request is {@code principal}'s: role and CSRF checks for changes, then on to the routes. */
  private void admit(RoutingContext ctx, Principal principal, Optional<Sessions.Session> session) {
    ctx.put(Principal.CONTEXT_KEY, principal);
    ctx.put(Redaction.CONTEXT_KEY, principal.may(Role.Action.SEE_SENSITIVE) ? Redaction.clear() : masking);
    session.ifPresent(s -> ctx.put(SESSION_CONTEXT_KEY, s));
    if (!SAFE.contains(ctx.request().method())) {
      // CSRF first: a forged request is refused as forged, whoever's session it rides on.
      if (session.isPresent() && !session.get().csrfMatches(ctx.request().getHeader(CSRF_HEADER))) {
        Problems.send(ctx, new CsrfRejected("a change made with a session cookie needs the session's CSRF token in "
            + CSRF_HEADER + " (the page sends it; GET " + SESSION_API + " returns it)"));
        return;
      }
      if (!principal.may(Role.Action.CHANGE)) {
        Problems.send(ctx, new Forbidden(principal.name(), principal.role().label(), "change anything (read only)"));
        return;
      }
    }
    ctx.next();
  }

  /**
   * A route handler for routes that need more than {@link Role.Action#CHANGE}, e.g. {@code auth.require(
   * Role.Action.LARGE_BULK_JOB)}; the guard has run before it.
   */
  public static io.vertx.core.Handler<RoutingContext> require(Role.Action action) {
    return ctx -> {
      Principal p = Principal.of(ctx);
      if (p.may(action)) {
        ctx.next();
      } else {
        Problems.send(ctx, new Forbidden(p.name(), p.role().label(), action.name().toLowerCase(java.util.Locale.ROOT)
            .replace('_', ' ')));
      }
    };
  }

  static boolean isPublic(HttpMethod method, String path) {
    if (path.equals("/login")) {
      return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.POST;
    }
    if (path.equals("/logout")) {
      return method == HttpMethod.POST;
    }
    if (!SAFE.contains(method)) {
      return false;
    }
    return path.equals("/health/live") || path.equals("/health/ready") || path.equals("/metrics")
        || (!path.startsWith("/api/") && ASSET.matcher(path).matches());
  }

  /** A request a browser makes to show a page: redirected to the sign-in form rather than answered 401. */
  static boolean isPage(HttpMethod method, String path) {
    return (method == HttpMethod.GET || method == HttpMethod.HEAD) && !path.startsWith("/api/");
  }

  // ---- sign out ----------------------------------------------------------------------------------------------------

  void logout(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(SESSION_COOKIE);
    if (cookie == null) {
      signedOut(ctx);
      return;
    }
    // The body is already read (BodyHandler ran before this handler), so no pause is needed around the lookup.
    sessions.find(cookie.getValue())
        .compose(session -> {
          if (session.isEmpty()) {
            return Future.succeededFuture(true);
          }
          String token = Optional.ofNullable(ctx.request().getHeader(CSRF_HEADER))
              .orElse(ctx.request().getFormAttribute(CSRF_FIELD));
          if (!session.get().csrfMatches(token)) {
            return Future.succeededFuture(false);
          }
          // Deleted from the shared table: every console instance refuses the cookie from now on.
          return sessions.end(cookie.getValue()).map(true);
        })
        .onSuccess(out -> {
          if (out) {
            signedOut(ctx);
          } else {
            Problems.send(ctx, new CsrfRejected("signing out needs the session's CSRF token"));
          }
        })
        .onFailure(failure -> sessionStoreFailed(ctx, failure));
  }

  /** The sessions table did not answer: 503 saying so (by type; anything else is a bug and goes to Problems). */
  static void sessionStoreFailed(RoutingContext ctx, Throwable failure) {
    if (failure instanceof SdkException) {
      Problems.send(ctx, new Unavailable("the sessions table did not answer: retry later"));
    } else {
      Problems.send(ctx, failure);
    }
  }

  private void signedOut(RoutingContext ctx) {
    ctx.response().addCookie(sessionCookie("", 0, settings.secureCookie()));
    redirect(ctx, "/login");
  }

  void session(RoutingContext ctx) {
    Principal p = Principal.of(ctx);
    JsonObject body = new JsonObject()
        .put("user", p.name())
        .put("role", p.role().label())
        .put("via", p.via().name().toLowerCase(java.util.Locale.ROOT))
        .put("may", new JsonObject()
            .put("change", p.may(Role.Action.CHANGE))
            .put("seeSensitive", p.may(Role.Action.SEE_SENSITIVE))
            .put("largeBulkJob", p.may(Role.Action.LARGE_BULK_JOB)))
        .put("operatorBulkLimit", settings.operatorBulkLimit());
    // The session the guard read for this request: no second lookup.
    Sessions.Session s = ctx.get(SESSION_CONTEXT_KEY);
    if (p.via() == Principal.Via.SESSION && s != null) {
      body.put("csrfToken", s.csrfToken()).put("expiresAt", s.expiresAt().toString());
    }
    ctx.response().putHeader("Cache-Control", "no-store").putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  static Cookie sessionCookie(String value, long maxAgeSeconds, boolean secure) {
    return Cookie.cookie(SESSION_COOKIE, value)
        .setPath("/")
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT)
        .setSecure(secure)
        .setMaxAge(maxAgeSeconds);
  }

  /**
   * A local path to go to after signing in; anything else (another origin, {@code //host}, a backslash trick, a
   * control character, the sign-in page itself) becomes {@code /}, so the form is no open redirect.
   */
  static String safeNext(String next) {
    if (next == null || next.isEmpty() || next.length() > 2048 || !next.startsWith("/") || next.startsWith("//")
        || next.startsWith("/login") || next.startsWith("/logout")) {
      return "/";
    }
    for (int i = 0; i < next.length(); i++) {
      char c = next.charAt(i);
      if (c < 0x21 || c == 0x7f || c == '\\') {
        return "/";
      }
    }
    return next;
  }

  /** The path and query asked for, to come back to after signing in. */
  private static String requested(HttpServerRequest request) {
    String query = request.query();
    return request.path() + (query == null || query.isEmpty() ? "" : "?" + query);
  }

  static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, location).putHeader("Cache-Control", "no-store")
        .end();
  }

  static void html(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(body);
  }
}
