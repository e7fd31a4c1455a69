package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Producer authentication and quotas through the running gateway: 401, 403 and 429 as problem+json. */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class AccessIT {
  private static final String CE = "application/cloudevents+json";

  private static String event() {
    return Events.structured("retail.product.created", Events.product(Events.uid("p"), 10));
  }

  private static JsonObject problem(Http.Response r, int status, String type) {
    assertEquals(status, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    JsonObject p = r.json();
    assertEquals("https://sluice.dev/problems/" + type, p.getString("type"), r.body());
    return p;
  }

  @Test
  void withoutAKeyIngestIs401(Stack stack) {
    problem(new Http().post(stack.gatewayUrl() + "/v1/streams/retail/events", CE, event()), 401,
        "missing-credentials");
  }

  @Test
  void anUnknownKeyIs401AndSaysBearer(Stack stack) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/v1/streams/retail/events"))
            .header("Content-Type", CE).header("Authorization", "Bearer not-a-key-we-know")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(event())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), r.headers().toString());
    assertEquals("https://sluice.dev/problems/unknown-api-key", new JsonObject(r.body()).getString("type"));
  }

  @Test
  void aKeyScopedToAnotherStreamIs403(Stack stack) {
    problem(Http.withKey(StackExtension.ORDERS_ONLY_KEY).post(stack.gatewayUrl() + "/v1/streams/retail/events", CE,
        event()), 403, "stream-forbidden");
  }

  @Test
  void aProducerKeyMayReadTheRegistryButNotWriteIt(Stack stack) {
    Http producer = Http.producer();
    assertEquals(200, producer.get(stack.gatewayUrl() + "/v1/streams/retail").status());
    problem(producer.post(stack.gatewayUrl() + "/v1/schemas/retail.product.created/versions", "application/json",
        "{\"type\":\"object\"}"), 403, "admin-required");
  }

  @Test
  void overItsRateAKeyGets429WithRetryAfter(Stack stack) throws Exception {
    // The slow key has a burst of 2 and then one request per 5 s.
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> last = null;
    for (int i = 0; i < 3; i++) {
      last = client.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/v1/streams/retail/events"))
              .header("Content-Type", CE).header("Authorization", "Bearer " + StackExtension.SLOW_KEY)
              .timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.ofString(event())).build(),
          HttpResponse.BodyHandlers.ofString());
      if (i < 2) {
        assertEquals(202, last.statusCode(), last.body());
      }
    }
    assertEquals(429, last.statusCode(), last.body());
    long retryAfter = Long.parseLong(last.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 5, "Retry-After " + retryAfter);
    assertEquals("https://sluice.dev/problems/rate-limited", new JsonObject(last.body()).getString("type"));
  }
}
