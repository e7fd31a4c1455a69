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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sign-in, roles and bearer tokens over real HTTP, in front of a console whose engines are not there: a request that
 * gets past the guard reaches the store and answers 503, one that does not answers 401/403 without touching it. The
 * sessions table is not there either, so a sign-in cannot succeed here: cookie sessions and their CSRF tokens are
 * tested against DynamoDB Local in deploy/ (dev.sluice.console.auth.ConsoleSessionsIT).
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
    ConsoleVerticle console = new ConsoleVerticle(new ConsoleConfig("127.0.0.1", 0, auth),
        engines.consoleParts(auth, SchemaRegistry.fromCatalog(StreamCatalog.loadDefault())), meters);
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
  void anEmptyFieldShowsTheFormAgainWithAnErrorAndNoCookie() throws Exception {
    start(AuthSettings.dev());
    for (String[] attempt : new String[][] {{"operator", ""}, {"", "operator"}}) {
      HttpResponse<Buffer> r = login(attempt[0], attempt[1], "/");
      assertEquals(401, r.statusCode(), attempt[0]);
      assertTrue(r.bodyAsString().contains("data-testid=\"login-error\""), r.bodyAsString());
      assertTrue(r.cookies().isEmpty(), r.cookies().toString());
    }
  }

  @Test
  void whenTheAttemptRecordsDoNotAnswerNoPasswordIsCheckedAndNoCookieGiven() throws Exception {
    // Sign-in attempts are counted in the sessions table before a password is checked: with the table down, a wrong
    // password and an unknown name get the same 503 as the right password (no guessing while the limit is blind).
    // A wrong password's 401 with the form is checked against DynamoDB Local (ConsoleLoginThrottleIT in deploy/).
    start(AuthSettings.dev());
    for (String[] attempt : new String[][] {{"operator", "wrong"}, {"nobody", "operator"}, {"operator", "operator"}}) {
      HttpResponse<Buffer> r = login(attempt[0], attempt[1], "/");
      problem(r, 503, "engine-unavailable");
      assertTrue(r.cookies().isEmpty(), r.cookies().toString());
    }
  }

  @Test
  void aViewerMayReadButNotRedriveAndABearerChangeNeedsNoCsrfToken() throws Exception {
    start(AuthSettings.dev());
    problem(send(HttpMethod.GET, ITEM, "Authorization", "Bearer dev-viewer"), 503, "engine-unavailable");
    problem(send(HttpMethod.POST, ITEM + "/redrive", "Authorization", "Bearer dev-viewer"), 403, "forbidden");
    // Past the guard: the store is down, so 503.
    problem(send(HttpMethod.POST, ITEM + "/redrive", "Authorization", "Bearer dev-operator"), 503,
        "engine-unavailable");
    JsonObject session = send(HttpMethod.GET, ConsoleAuth.SESSION_API, "Authorization", "Bearer dev-viewer")
        .bodyAsJsonObject();
    assertEquals("bearer", session.getString("via"));
    assertFalse(session.getJsonObject("may").getBoolean("change"));
    assertFalse(session.containsKey("csrfToken"), "a bearer request has no session");
  }

  @Test
  void whenTheSessionsTableDoesNotAnswerASignInIs503AndACookieIsNeverLetThrough() throws Exception {
    start(AuthSettings.dev());
    HttpResponse<Buffer> signIn = login("operator", "operator", "/");
    problem(signIn, 503, "engine-unavailable");
    assertTrue(signIn.cookies().isEmpty(), signIn.cookies().toString());

    String someCookie = ConsoleAuth.SESSION_COOKIE + "=" + "a".repeat(43);
    problem(send(HttpMethod.GET, "/api/v1/quarantine", "Cookie", someCookie), 503, "engine-unavailable");
    problem(send(HttpMethod.GET, "/", "Cookie", someCookie), 503, "engine-unavailable");
    problem(send(HttpMethod.POST, ITEM + "/redrive", "Cookie", someCookie, "X-CSRF-Token", "x"), 503,
        "engine-unavailable");
    problem(client.post("/logout").putHeader("Cookie", someCookie)
        .sendForm(MultiMap.caseInsensitiveMultiMap().add(ConsoleAuth.CSRF_FIELD, "x")).await(30, TimeUnit.SECONDS),
        503, "engine-unavailable");
    // A cookie too long to be an id is not looked up: no session.
    problem(send(HttpMethod.GET, "/api/v1/quarantine", "Cookie", ConsoleAuth.SESSION_COOKIE + "=" + "a".repeat(200)),
        401, "unauthenticated");
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
