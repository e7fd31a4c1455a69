package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every row of the hard-limits table over HTTP, with the stack's default limits (1 MiB bodies, depth 64, numbers of
 * 100 characters, strings of 256 Ki characters): each is a 4xx problem+json naming the limit, and the gateway goes on
 * serving.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class HardLimitsIT {
  private static final String CE = "application/cloudevents+json";
  private final Http http = new Http();
  private final HttpClient raw = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static String url(Stack stack) {
    return stack.gatewayUrl() + "/v1/streams/retail/events";
  }

  /** A structured product event whose data is {@code data}, verbatim. */
  private static String event(String data) {
    return "{\"specversion\":\"1.0\",\"id\":\"" + Events.uid("e") + "\",\"source\":\"/it/limits\","
        + "\"type\":\"retail.product.created\",\"data\":" + data + "}";
  }

  private static String product(String price, String description) {
    return "{\"id\":\"" + Events.uid("p") + "\",\"brand\":\"B\",\"name\":\"N\",\"category\":\"C\",\"price\":" + price
        + ",\"description\":\"" + description + "\"}";
  }

  private Http.Response post(Stack stack, String contentType, String body) {
    return http.post(url(stack), contentType, body, "Authorization", "Bearer dev-producer");
  }

  private Http.Response postBytes(Stack stack, String contentType, byte[] body) {
    try {
      HttpResponse<String> r = raw.send(HttpRequest.newBuilder(URI.create(url(stack)))
          .timeout(Duration.ofSeconds(30))
          .header("Content-Type", contentType)
          .header("Authorization", "Bearer dev-producer")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .build(), HttpResponse.BodyHandlers.ofString());
      return new Http.Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Asserts a problem+json of this status and type, and returns it. */
  private static JsonObject problem(Http.Response r, int status, String slug) {
    assertEquals(status, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    JsonObject p = r.json();
    assertEquals(status, p.getInteger("status"));
    assertEquals("https://sluice.dev/problems/" + slug, p.getString("type"));
    return p;
  }

  private static String pointer(JsonObject problem) {
    return problem.getJsonArray("violations").getJsonObject(0).getString("pointer");
  }

  @Test
  void aBodyOverOneMebibyteIs413(Stack stack) {
    String body = event(product("1", "x".repeat(1024 * 1024)));
    // The gateway answers 413 as soon as the body passes the limit and closes the connection; a client still sending
    // may see the close before it reads the answer (RFC 9112, section 9.6), so a reset is tried again, at most twice.
    Http.Response answer = null;
    for (int attempt = 1; answer == null; attempt++) {
      try {
        answer = post(stack, CE, body);
      } catch (java.io.UncheckedIOException reset) {
        if (attempt == 3) {
          throw reset;
        }
      }
    }
    problem(answer, 413, "payload-too-large");
  }

  @Test
  void nestingDeeperThan64Is400WithThePointer(Stack stack) {
    // data is level 2, so 64 nested arrays in data reach level 65.
    String deep = "[".repeat(64) + "]".repeat(64);
    JsonObject p = problem(post(stack, CE, event(deep)), 400, "nesting-too-deep");
    assertEquals("/data" + "/0".repeat(63), pointer(p));
    // One level less passes the reader (and then fails the schema: the data must be an object).
    problem(post(stack, CE, event("[".repeat(63) + "]".repeat(63))), 422, "schema-violation");
    // A hostile depth is no different.
    problem(post(stack, CE, event("[".repeat(200_000) + "]".repeat(200_000))), 400, "nesting-too-deep");
  }

  @Test
  void numbersOver100CharactersAre400(Stack stack) {
    JsonObject p = problem(post(stack, CE, event(product("1" + "0".repeat(100), "d"))), 400, "number-too-long");
    assertEquals("/data/price", pointer(p));
    // 100 characters are fine for the reader; the schema then judges the value.
    Http.Response ok = post(stack, CE, event(product("1" + "0".repeat(99), "d")));
    assertEquals(202, ok.status(), ok.body());
  }

  @Test
  void stringsOver256KiCharactersAre400(Stack stack) {
    JsonObject p = problem(post(stack, CE, event(product("1", "x".repeat(256 * 1024 + 1)))), 400, "string-too-long");
    assertEquals("/data/description", pointer(p));
    Http.Response ok = post(stack, CE, event(product("1", "x".repeat(256 * 1024))));
    assertEquals(202, ok.status(), ok.body());
  }

  @Test
  void invalidUtf8Is400WithTheByteOffset(Stack stack) {
    String text = event(product("1", "café"));
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    int at = text.indexOf("café") + 3;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(utf8, 0, at);
    body.write(0xE9); // é in Latin-1: not UTF-8
    body.write(utf8, at + 2, utf8.length - at - 2);
    JsonObject p = problem(postBytes(stack, CE, body.toByteArray()), 400, "invalid-utf8");
    assertEquals(at, p.getLong("offset"));
  }

  @Test
  void duplicateKeysAre400(Stack stack) {
    String data = "{\"id\":\"p-dup\",\"brand\":\"B\",\"name\":\"N\",\"category\":\"C\",\"price\":1,\"price\":1000}";
    assertEquals("/data/price", pointer(problem(post(stack, CE, event(data)), 400, "duplicate-key")));
  }

  @Test
  void aWrongContentTypeIs415(Stack stack) {
    problem(post(stack, "text/plain", event(product("1", "d"))), 415, "unsupported-media-type");
    problem(post(stack, "application/xml", "<event/>"), 415, "unsupported-media-type");
    problem(postBytes(stack, "application/x-www-form-urlencoded", "a=b".getBytes(StandardCharsets.UTF_8)), 415,
        "unsupported-media-type");
  }

  @Test
  void trailingGarbageIs400WithTheByteOffset(Stack stack) {
    String body = event(product("1", "d"));
    assertEquals(body.length() + 1,
        problem(post(stack, CE, body + " {\"more\":1}"), 400, "trailing-content").getLong("offset"));
    assertEquals(body.length(), problem(post(stack, CE, body + "garbage"), 400, "trailing-content").getLong("offset"));
  }

  @Test
  void inABatchTheLimitsPointIntoTheArray(Stack stack) {
    String batch = "[" + event(product("1", "d")) + "," + event(product("1" + "0".repeat(100), "d")) + "]";
    JsonObject p = problem(post(stack, "application/cloudevents-batch+json", batch), 400, "number-too-long");
    assertEquals("/1/data/price", pointer(p));
  }

  @Test
  void inBinaryModeTheBodyIsTheData(Stack stack) {
    Http.Response r = http.post(url(stack), "application/json", "{\"a\":1,\"a\":2}", "Authorization",
        "Bearer dev-producer", "ce-specversion", "1.0", "ce-id", Events.uid("b"), "ce-source", "/it/limits",
        "ce-type", "retail.product.created");
    assertEquals("/data/a", pointer(problem(r, 400, "duplicate-key")));
  }

  @Test
  void afterHostileInputTheGatewayStillServes(Stack stack) {
    for (int i = 0; i < 20; i++) {
      problem(post(stack, CE, event("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000))), 400, "nesting-too-deep");
      problem(post(stack, CE, event("1".repeat(500_000))), 400, "number-too-long");
    }
    Http.Response ok = post(stack, CE, event(product("2", "still here")));
    assertEquals(202, ok.status(), ok.body());
  }
}
