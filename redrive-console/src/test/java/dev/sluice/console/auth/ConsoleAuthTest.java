package dev.sluice.console.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.ConsoleVerticle;
import dev.sluice.console.config.ConsoleConfig;
import dev.sluice.console.support.DeadEngines;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sign-in, roles and CSRF over real HTTP, in front of a console whose engines are not there: a request that gets past
 * the guard reaches the store and answers 503, one that does not answers 401/403 without touching it.
 */
class ConsoleAuthTest {
  private static final String ITEM = "/api/v1/quarantine/6f1c2b1e-0000-3000-8000-000000000001";

  private Vertx vertx;
  private DeadEngines engines;
  private PrometheusMeterRegistry meters;
  private WebClient client;

  private void start(AuthSettings auth) throws Exception {
    vertx = Vertx.vertx();
    engines = new DeadEngines(vertx);
    meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ConsoleVerticle console = new ConsoleVerticle(new ConsoleConfig("127.0.0.1", 0, auth), engines.store,
        engines.queue, engines.streams, SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()), engines.audit, meters);
    vertx.deployVerticle(console).await(20, TimeUnit.SECONDS);
    client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false)
        .setDefaultHost("127.0.0.1").setDefaultPort(console.actualPort()));
  }

  @AfterEach
  void stop() {
    if (vertx != null) {
      client.close();
      vertx.close().await();
      engines.close();
      meters.close();
    }
  }

  private HttpResponse<Buffer> send(HttpMethod method, String uri, String... headers) throws Exception {
    var req = client.request(method, uri);
    for (int i = 0; i < headers.length; i += 2) {
      req.putHeader(headers[i], headers[i + 1]);
    }
    return req.send().await(30, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> login(String user, String password, String next, String... headers) throws Exception {
    var req = client.post("/login");
    for (int i = 0; i < headers.length; i += 2) {
      req.putHeader(headers[i], headers[i + 1]);
    }
    return req.sendForm(MultiMap.caseInsensitiveMultiMap().add("username", user).add("password", password)
        .add("next", next)).await(30, TimeUnit.SECONDS);
  }

  /** The session cookie's "name=value" from a successful sign-in. */
  private static String cookie(HttpResponse<Buffer> signedIn) {
    String setCookie = signedIn.cookies().stream().filter(c -> c.startsWith(ConsoleAuth.SESSION_COOKIE + "="))
        .findFirst().orElseThrow(() -> new AssertionError("no session cookie: " + signedIn.cookies()));
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static void problem(HttpResponse<Buffer> r, int status, String slug) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals("application/problem+json", r.getHeader("Content-Type"));
    assertEquals("https://sluice.dev/problems/" + slug, r.bodyAsJsonObject().getString("type"), r.bodyAsString());
  }

  @Test
  void withoutCredentialsTheApiIs401AndAPageGoesToTheSignInForm() throws Exception {
    start(AuthSettings.dev());
    HttpResponse<Buffer> api = send(HttpMethod.GET, "/api/v1/quarantine");
    problem(api, 401, "unauthenticated");
    assertTrue(api.getHeader("WWW-Authenticate").startsWith("Bearer"), api.getHeader("WWW-Authenticate"));
    problem(send(HttpMethod.POST, ITEM + "/redrive"), 401, "unauthenticated");

    HttpResponse<Buffer> page = send(HttpMethod.GET, "/quarantine/abc-1?x=1");
    assertEquals(303, page.statusCode());
    assertEquals("/login?next=%2Fquarantine%2Fabc-1%3Fx%3D1", page.getHeader("Location"));
    assertEquals("/login?next=%2F", send(HttpMethod.GET, "/").getHeader("Location"));

    problem(send(HttpMethod.GET, "/api/v1/quarantine", "Authorization", "Bearer not-a-token"), 401, "unauthenticated");
    problem(send(HttpMethod.GET, "/api/v1/quarantine", "Authorization", "Basic dmlld2VyOnZpZXdlcg=="), 401,
        "unauthenticated");
  }

  @Test
  void healthMetricsAssetsAndTheFormArePublicAndEveryHtmlAnswerHasAStrictPolicy() throws Exception {
    start(AuthSettings.dev());
    assertEquals(200, send(HttpMethod.GET, "/health/live").statusCode());
    assertEquals(200, send(HttpMethod.GET, "/metrics").statusCode());
    assertEquals(200, send(HttpMethod.GET, "/app.js").statusCode());
    assertEquals(200, send(HttpMethod.GET, "/auth.js").statusCode());
    HttpResponse<Buffer> form = send(HttpMethod.GET, "/login?next=/quarantine/abc");
    assertEquals(200, form.statusCode());
    assertTrue(form.getHeader("Content-Type").startsWith("text/html"));
    String html = form.bodyAsString();
    assertTrue(html.contains("name=\"username\""), html);
    assertTrue(html.contains("name=\"password\""), html);
    assertTrue(html.contains("value=\"/quarantine/abc\""), html);
    assertFalse(html.contains("<script>"), "no inline script");
    for (HttpResponse<Buffer> r : new HttpResponse[] {form, send(HttpMethod.GET, "/", "Authorization",
        "Bearer dev-viewer"), send(HttpMethod.GET, "/quarantine/abc", "Authorization", "Bearer dev-viewer")}) {
      assertEquals(200, r.statusCode());
      assertTrue(r.getHeader("Content-Type").startsWith("text/html"), r.getHeader("Content-Type"));
      String csp = r.getHeader("Content-Security-Policy");
      assertNotNull(csp);
      for (String directive : new String[] {"default-src 'self'", "script-src 'self'", "object-src 'none'",
          "frame-ancestors 'none'", "base-uri 'none'"}) {
        assertTrue(csp.contains(directive), directive + " in " + csp);
      }
      assertFalse(csp.contains("unsafe-inline"), csp);
      assertEquals("nosniff", r.getHeader("X-Content-Type-Options"));
    }
  }

  @Test
  void aWrongPasswordShowsTheFormAgainWithAnErrorAndNoCookie() throws Exception {
    start(AuthSettings.dev());
    for (String[] attempt : new String[][] {{"operator", "wrong"}, {"nobody", "operator"}, {"operator", ""}}) {
      HttpResponse<Buffer> r = login(attempt[0], attempt[1], "/");
      assertEquals(401, r.statusCode(), attempt[0]);
      assertTrue(r.bodyAsString().contains("data-testid=\"login-error\""), r.bodyAsString());
      assertTrue(r.cookies().isEmpty(), r.cookies().toString());
    }
  }

  @Test
  void signingInSetsAStrictHttpOnlyCookieAndGoesBackToTheRequestedPage() throws Exception {
    start(AuthSettings.dev());
    HttpResponse<Buffer> r = login("operator", "operator", "/quarantine/abc-1");
    assertEquals(303, r.statusCode(), r.bodyAsString());
    assertEquals("/quarantine/abc-1", r.getHeader("Location"));
    String setCookie = r.cookies().get(0);
    assertTrue(setCookie.toLowerCase(java.util.Locale.ROOT).contains("; httponly"), setCookie);
    assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
    assertTrue(setCookie.contains("Path=/"), setCookie);
    assertTrue(setCookie.contains("Max-Age=28800"), setCookie);
    assertFalse(setCookie.contains("Secure"), "plain HTTP in dev: " + setCookie);

    JsonObject session = send(HttpMethod.GET, ConsoleAuth.SESSION_API, "Cookie", cookie(r)).bodyAsJsonObject();
    assertEquals("operator", session.getString("user"));
    assertEquals("operator", session.getString("role"));
    assertEquals("session", session.getString("via"));
    assertTrue(session.getJsonObject("may").getBoolean("change"));
    assertTrue(session.getString("csrfToken").length() >= 40);

    // Not an open redirect.
    assertEquals("/", login("operator", "operator", "https://evil.example/").getHeader("Location"));
    assertEquals("/", login("operator", "operator", "//evil.example/").getHeader("Location"));
  }

  @Test
  void theCookieIsSecureWhenConfigured() throws Exception {
    AuthSettings dev = AuthSettings.dev();
    start(new AuthSettings(dev.credentials(), true, Duration.ofMinutes(30), true, 100, 10));
    String setCookie = login("viewer", "viewer", "/").cookies().get(0);
    assertTrue(setCookie.contains("Secure"), setCookie);
    assertTrue(setCookie.contains("Max-Age=1800"), setCookie);
  }

  @Test
  void aCookieSessionChangeNeedsTheCsrfTokenButABearerOneDoesNot() throws Exception {
    start(AuthSettings.dev());
    String cookie = cookie(login("operator", "operator", "/"));
    String csrf = send(HttpMethod.GET, ConsoleAuth.SESSION_API, "Cookie", cookie).bodyAsJsonObject()
        .getString("csrfToken");

    problem(send(HttpMethod.POST, ITEM + "/redrive", "Cookie", cookie), 403, "csrf-token-invalid");
    problem(send(HttpMethod.POST, ITEM + "/redrive", "Cookie", cookie, "X-CSRF-Token", csrf + "x"), 403,
        "csrf-token-invalid");
    // Past the guard: the store is down, so 503.
    problem(send(HttpMethod.POST, ITEM + "/redrive", "Cookie", cookie, "X-CSRF-Token", csrf), 503,
        "engine-unavailable");
    problem(send(HttpMethod.POST, ITEM + "/redrive", "Authorization", "Bearer dev-operator"), 503,
        "engine-unavailable");
    // Another session's token is no good either.
    String other = cookie(login("admin", "admin", "/"));
    problem(send(HttpMethod.POST, ITEM + "/redrive", "Cookie", other, "X-CSRF-Token", csrf), 403,
        "csrf-token-invalid");
  }

  @Test
  void aViewerMayReadButNotRedrive() throws Exception {
    start(AuthSettings.dev());
    problem(send(HttpMethod.GET, ITEM, "Authorization", "Bearer dev-viewer"), 503, "engine-unavailable");
    problem(send(HttpMethod.POST, ITEM + "/redrive", "Authorization", "Bearer dev-viewer"), 403, "forbidden");
    String cookie = cookie(login("viewer", "viewer", "/"));
    JsonObject session = send(HttpMethod.GET, ConsoleAuth.SESSION_API, "Cookie", cookie).bodyAsJsonObject();
    assertFalse(session.getJsonObject("may").getBoolean("change"));
    problem(send(HttpMethod.POST, ITEM + "/redrive", "Cookie", cookie, "X-CSRF-Token",
        session.getString("csrfToken")), 403, "forbidden");
  }

  @Test
  void signingOutNeedsTheTokenAndEndsTheSession() throws Exception {
    start(AuthSettings.dev());
    String cookie = cookie(login("operator", "operator", "/"));
    String csrf = send(HttpMethod.GET, ConsoleAuth.SESSION_API, "Cookie", cookie).bodyAsJsonObject()
        .getString("csrfToken");
    problem(send(HttpMethod.POST, "/logout", "Cookie", cookie), 403, "csrf-token-invalid");
    assertEquals(200, send(HttpMethod.GET, ConsoleAuth.SESSION_API, "Cookie", cookie).statusCode());

    HttpResponse<Buffer> out = client.post("/logout").putHeader("Cookie", cookie)
        .sendForm(MultiMap.caseInsensitiveMultiMap().add(ConsoleAuth.CSRF_FIELD, csrf)).await(30, TimeUnit.SECONDS);
    assertEquals(303, out.statusCode());
    assertEquals("/login", out.getHeader("Location"));
    assertTrue(out.cookies().get(0).contains("Max-Age=0"), out.cookies().toString());
    problem(send(HttpMethod.GET, ConsoleAuth.SESSION_API, "Cookie", cookie), 401, "unauthenticated");
  }

  @Test
  void aSignInPostedFromAnotherSiteIsRefused() throws Exception {
    start(AuthSettings.dev());
    HttpResponse<Buffer> r = login("operator", "operator", "/", "Origin", "https://evil.example");
    problem(r, 403, "csrf-token-invalid");
    assertTrue(r.cookies().isEmpty());
  }

  @Test
  void withNothingConfiguredNobodyGetsIn() throws Exception {
    start(AuthSettings.none());
    assertEquals(401, login("operator", "operator", "/").statusCode());
    problem(send(HttpMethod.GET, "/api/v1/quarantine", "Authorization", "Bearer dev-admin"), 401, "unauthenticated");
  }

  @Test
  void onlyLocalPathsAreFollowedAfterSignIn() {
    assertEquals("/quarantine/a?b=c#d", ConsoleAuth.safeNext("/quarantine/a?b=c#d"));
    for (String bad : new String[] {null, "", "quarantine", "//evil", "/\\evil", "https://evil", "/login?next=/x",
        "/a b", "/a\nb"}) {
      assertEquals("/", ConsoleAuth.safeNext(bad), String.valueOf(bad));
    }
  }
}
