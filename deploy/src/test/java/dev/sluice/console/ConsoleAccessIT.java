package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.auth.SensitiveFields;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who may do what in the console, against the whole stack: sign-in and its cookie, roles, CSRF, the page's security
 * headers, and the masking of fields the schema marks sensitive (the photographer's email in the demo catalog).
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class ConsoleAccessIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final Http producer = Http.producer();
  private final Http operator = Http.operator();
  private final Http viewer = Http.viewer();
  /** Never follows redirects, keeps no cookies: every test says exactly what it sends. */
  private final HttpClient raw = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return raw.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> signIn(Stack stack, String user, String password, String next) {
    String form = "username=" + enc(user) + "&password=" + enc(password) + "&next=" + enc(next);
    return send(HttpRequest.newBuilder(URI.create(stack.consoleUrl() + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** "sluice_session=..." from a sign-in's Set-Cookie. */
  private static String sessionCookie(HttpResponse<String> signedIn) {
    String setCookie = signedIn.headers().firstValue("set-cookie").orElseThrow(() -> new AssertionError(
        "no cookie; status " + signedIn.statusCode()));
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private String csrf(Stack stack, String cookie) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(stack.consoleUrl() + "/api/v1/session"))
        .header("Cookie", cookie).GET());
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("csrfToken");
  }

  private HttpResponse<String> redriveWithCookie(Stack stack, String itemId, String cookie, String csrfOrNull) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.consoleUrl() + "/api/v1/quarantine/" + itemId
            + "/redrive"))
        .header("Cookie", cookie).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.noBody());
    if (csrfOrNull != null) {
      b.header("X-CSRF-Token", csrfOrNull);
    }
    return send(b);
  }

  /** A photographer the gateway refuses (no name), kept as an ingress item: its data holds an email. */
  private String rejectedPhotographer(Stack stack, String email) {
    String id = UUID.randomUUID().toString();
    String body = new JsonObject().put("specversion", "1.0").put("id", id).put("source", "/it/access")
        .put("type", "retail.photographer.registered")
        .put("data", new JsonObject().put("id", "ph-" + UUID.randomUUID().toString().substring(0, 8)).put("email", email)).encode();
    Http.Response r = producer.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/cloudevents+json",
        body);
    assertEquals(422, r.status(), r.body());
    // The item's id is made from the body as kept (its marked values withheld): found by the event's id instead.
    return Eventually.await("the ingress item of event " + id, WAIT, () -> Optional.of(
        operator.get(stack.consoleUrl() + "/api/v1/quarantine?group=ingress&q=" + id)).filter(x -> x.status() == 200)
        .map(x -> x.json().getJsonArray("items")).filter(items -> items.size() == 1)
        .map(items -> items.getJsonObject(0).getString("id")));
  }

  @Test
  void aViewerSeesTheSensitiveFieldMaskedAndNoOneSeesTheValueTheGatewayWithheld(Stack stack) {
    String email = "ann." + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
    String itemId = rejectedPhotographer(stack, email);

    // The gateway kept the refused request without its marked values: the operator sees where the email was.
    JsonObject clear = operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + itemId).json();
    assertEquals("retail.photographer.registered", clear.getString("type"), clear.encode());
    assertEquals("sluice:withheld", clear.getJsonObject("data").getString("email"));
    assertFalse(clear.encode().contains(email), clear.encode());

    Http.Response r = viewer.get(stack.consoleUrl() + "/api/v1/quarantine/" + itemId);
    assertEquals(200, r.status(), r.body());
    JsonObject masked = r.json();
    assertEquals(SensitiveFields.MASK, masked.getJsonObject("data").getString("email"));
    assertEquals(clear.getJsonObject("data").getString("id"), masked.getJsonObject("data").getString("id"));
    assertFalse(r.body().contains(email), "the email appears nowhere in the viewer's answer: " + r.body());
    assertFalse(new String(java.util.Base64.getDecoder().decode(masked.getString("payloadBase64")),
        StandardCharsets.UTF_8).contains(email));
  }

  @Test
  void aViewersRedriveIs403AndChangesNothing(Stack stack) {
    String itemId = rejectedPhotographer(stack, "v@example.com");
    Http.Response r = viewer.post(stack.consoleUrl() + "/api/v1/quarantine/" + itemId + "/redrive",
        "application/json", "");
    assertEquals(403, r.status(), r.body());
    assertEquals("application/problem+json", r.contentType());
    assertEquals("https://sluice.dev/problems/forbidden", r.json().getString("type"));
    assertEquals("QUARANTINED", operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + itemId).json()
        .getString("status"));

    String cookie = sessionCookie(signIn(stack, "viewer", "viewer", "/"));
    HttpResponse<String> withCookie = redriveWithCookie(stack, itemId, cookie, csrf(stack, cookie));
    assertEquals(403, withCookie.statusCode(), withCookie.body());
    assertTrue(withCookie.body().contains("/problems/forbidden"), withCookie.body());
  }

  @Test
  void aCookieSessionsChangeWithoutItsCsrfTokenIs403(Stack stack) {
    String itemId = rejectedPhotographer(stack, "c@example.com");
    String cookie = sessionCookie(signIn(stack, "operator", "operator", "/"));

    HttpResponse<String> missing = redriveWithCookie(stack, itemId, cookie, null);
    assertEquals(403, missing.statusCode(), missing.body());
    assertTrue(missing.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"));
    assertTrue(missing.body().contains("/problems/csrf-token-invalid"), missing.body());
    HttpResponse<String> wrong = redriveWithCookie(stack, itemId, cookie, "not-the-token");
    assertEquals(403, wrong.statusCode(), wrong.body());
    assertEquals("QUARANTINED", operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + itemId).json()
        .getString("status"), "nothing happened");

    // With the token the request is the operator's: it passes the guard and reaches the redrive (the photographer
    // still has no name, so ingest would refuse it again: 422, not 403).
    HttpResponse<String> allowed = redriveWithCookie(stack, itemId, cookie, csrf(stack, cookie));
    assertEquals(422, allowed.statusCode(), allowed.body());
  }

  @Test
  void signingInSetsAStrictHttpOnlyCookieAndAWrongPasswordShowsAnError(Stack stack) {
    HttpResponse<String> wrong = signIn(stack, "operator", "not-the-password", "/");
    assertEquals(401, wrong.statusCode());
    assertTrue(wrong.body().contains("data-testid=\"login-error\""), wrong.body());
    assertTrue(wrong.headers().firstValue("set-cookie").isEmpty());

    HttpResponse<String> ok = signIn(stack, "operator", "operator", "/quarantine/some-item");
    assertEquals(303, ok.statusCode(), ok.body());
    assertEquals("/quarantine/some-item", ok.headers().firstValue("location").orElseThrow());
    String setCookie = ok.headers().firstValue("set-cookie").orElseThrow();
    String lower = setCookie.toLowerCase(Locale.ROOT);
    assertTrue(lower.contains("; httponly"), setCookie);
    assertTrue(lower.contains("; samesite=strict"), setCookie);
    assertTrue(lower.contains("; path=/"), setCookie);
  }

  @Test
  void withoutCredentialsTheApiIs401AndAnItemsAddressLeadsToTheSignInForm(Stack stack) {
    HttpResponse<String> api = send(HttpRequest.newBuilder(URI.create(stack.consoleUrl() + "/api/v1/quarantine")).GET());
    assertEquals(401, api.statusCode());
    assertTrue(api.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"));
    HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(stack.consoleUrl() + "/quarantine/abc")).GET());
    assertEquals(303, page.statusCode());
    assertEquals("/login?next=%2Fquarantine%2Fabc", page.headers().firstValue("location").orElseThrow());
  }

  @Test
  void everyHtmlAnswerCarriesAStrictContentSecurityPolicy(Stack stack) {
    for (String path : new String[] {"/", "/quarantine/abc", "/login"}) {
      HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(stack.consoleUrl() + path))
          .header("Authorization", "Bearer " + Http.DEV_VIEWER).GET());
      assertEquals(200, r.statusCode(), path);
      assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/html"), path);
      String csp = r.headers().firstValue("content-security-policy").orElse(null);
      assertNotNull(csp, path);
      assertTrue(csp.contains("script-src 'self'") && csp.contains("object-src 'none'")
          && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), csp);
      assertEquals("nosniff", r.headers().firstValue("x-content-type-options").orElse(null), path);
      assertFalse(r.body().contains("<script>"), path + ": no inline script");
    }
  }
}
