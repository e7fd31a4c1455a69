package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A schema cannot freeze the gateway: the pattern that once pinned an event loop is refused at registration, and the
 * costliest pattern the registry allows is matched within a ceiling, off the event loop, while everything else is
 * answered.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class PatternCostIT {
  private static final String JSON = "application/json";
  /** The largest of its family under the pattern size limit (9,943 instructions). */
  private static final String HEAVY_PATTERN = "^(a{1,70}){1,70}$";

  private final Http admin = Http.withKey(Http.DEV_ADMIN);
  private final Http producer = Http.producer();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static String schema(String pattern) {
    return new JsonObject().put("type", "object").put("properties", new JsonObject()
        .put("id", new JsonObject().put("type", "string"))
        .put("s", new JsonObject().put("type", "string").put("pattern", pattern))).encode();
  }

  private static String as(int length, String tail) {
    return new JsonObject().put("id", "q-1").put("s", "a".repeat(length) + tail).encode();
  }

  /** Registers a type with the heavy pattern (201) and returns its name. */
  private String heavyType(Stack stack) {
    String type = "zz.heavy." + Events.uid("t").replace('-', '.');
    Http.Response r = admin.post(stack.gatewayUrl() + "/v1/schemas/" + type + "/versions", JSON, schema(HEAVY_PATTERN));
    assertEquals(201, r.status(), r.body());
    return type;
  }

  @Test
  void thePatternThatFrozeTheGatewayIsRefusedAtRegistrationNamingTheLimit(Stack stack) {
    String type = "zz.quant." + Events.uid("t").replace('-', '.');
    Http.Response r = admin.post(stack.gatewayUrl() + "/v1/schemas/" + type + "/versions", JSON,
        schema("^(a{1,1000}){1,1000}$"));
    assertEquals(422, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    JsonObject problem = r.json();
    assertTrue(problem.getString("type").endsWith("/schema-refused"), problem.encode());
    JsonObject violation = problem.getJsonArray("violations").getJsonObject(0);
    assertEquals("/properties/s/pattern", violation.getString("pointer"));
    assertEquals("pattern-size", violation.getString("keyword"));
    assertTrue(violation.getString("message").contains("at most 10000 are allowed"), violation.encode());
    // Nothing was registered.
    assertEquals(404, admin.get(stack.gatewayUrl() + "/v1/schemas/" + type + "/versions").status());
  }

  @Test
  void aValueTooCostlyToMatchIsAnsweredWithTheCostViolationNotAHang(Stack stack) {
    String type = heavyType(stack);
    // 5,001 characters against 9,943 instructions: 49.7 million steps, five times the ceiling of one event.
    Http.Response r = producer.post(stack.gatewayUrl() + "/v1/schemas/" + type + "/versions/1/validate", JSON,
        as(5_000, "!"));
    assertEquals(200, r.status(), r.body());
    JsonObject answer = r.json();
    assertFalse(answer.getBoolean("valid"));
    JsonObject violation = answer.getJsonArray("violations").getJsonObject(0);
    assertEquals("validation-cost", violation.getString("keyword"));
    assertEquals("/data", violation.getString("pointer"));
    assertFalse(violation.getString("message").contains("aaaa"), "the value is never echoed");
  }

  @Test
  void ingestRefusesATooCostlyEventWith422AndAcceptsTheSameTypeWithinTheCeiling(Stack stack) throws Exception {
    String type = heavyType(stack);
    String stream = "heavy-" + Events.uid("s");
    JsonObject definition = new JsonObject().put("topic", stream).put("partitions", 1)
        .put("types", new JsonArray().add(new JsonObject().put("type", type).put("partitionKey", "/id")));
    HttpResponse<String> put = client.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/v1/streams/"
            + stream)).timeout(Duration.ofSeconds(30)).header("Content-Type", JSON)
        .header("Authorization", "Bearer " + Http.DEV_ADMIN)
        .PUT(HttpRequest.BodyPublishers.ofString(definition.encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, put.statusCode(), put.body());

    String events = stack.gatewayUrl() + "/v1/streams/" + stream + "/events";
    Http.Response costly = producer.post(events, "application/cloudevents+json", event(type, as(5_000, "!")));
    assertEquals(422, costly.status(), costly.body());
    JsonObject violation = costly.json().getJsonArray("violations").getJsonObject(0);
    assertEquals("validation-cost", violation.getString("keyword"));
    // 1,000 matching characters cost 9.9 million steps: too much for the event loop's allowance, so the gateway
    // validates on its pool, within the event's ceiling, and appends.
    Http.Response fits = producer.post(events, "application/cloudevents+json", event(type, as(1_000, "")));
    assertEquals(202, fits.status(), fits.body());
  }

  @Test
  void slowValidationsRunOffTheEventLoopSoOtherRequestsAreAnsweredMeanwhile(Stack stack) throws Exception {
    String type = heavyType(stack);
    String validate = stack.gatewayUrl() + "/v1/schemas/" + type + "/versions/1/validate";
    // Each of these matches for real: 1,005 characters times 9,943 instructions is just under the event ceiling, a
    // few hundred milliseconds of RE2J's slowest matching. Twelve of them keep the validation pool busy for seconds.
    List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      slow.add(client.sendAsync(HttpRequest.newBuilder(URI.create(validate)).timeout(Duration.ofSeconds(120))
          .header("Content-Type", JSON).header("Authorization", "Bearer " + Http.DEV_PRODUCER)
          .POST(HttpRequest.BodyPublishers.ofString(as(1_004, "!"))).build(), HttpResponse.BodyHandlers.ofString()));
    }
    // Had the gateway matched on its event loops, these would queue behind the slow ones (two loops, twelve
    // requests). They are answered while slow validations are still running.
    for (int i = 0; i < 10; i++) {
      assertEquals(200, new Http().get(stack.gatewayUrl() + "/health/live").status());
      assertEquals(200, admin.get(stack.gatewayUrl() + "/v1/schemas/" + type + "/versions/1").status());
    }
    long stillRunning = slow.stream().filter(f -> !f.isDone()).count();
    assertTrue(stillRunning > 0, "every slow validation had finished before ten cheap requests were answered");
    for (CompletableFuture<HttpResponse<String>> f : slow) {
      HttpResponse<String> r = f.get();
      assertEquals(200, r.statusCode(), r.body());
      JsonObject violation = new JsonObject(r.body()).getJsonArray("violations").getJsonObject(0);
      assertEquals("pattern", violation.getString("keyword"), "matched to the end, within the ceiling");
    }
  }

  private static String event(String type, String data) {
    return "{\"specversion\":\"1.0\",\"id\":\"" + Events.uid("e") + "\",\"source\":\"/it/pattern-cost\",\"type\":\""
        + type + "\",\"data\":" + data + "}";
  }
}
