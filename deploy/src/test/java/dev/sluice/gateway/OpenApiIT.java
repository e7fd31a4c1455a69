package dev.sluice.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.gateway.http.OpenApiHandler;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The served OpenAPI document matches what the running gateway does: it is the document in the jar, and every
 * documented operation, called with an admin key and a minimal body, answers one of its documented statuses with the
 * documented media type. (That the document lists exactly the routed operations is {@code OpenApiDocumentTest}.)
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class OpenApiIT {
  /** A type no other test registers: calling POST versions with it must not change a shared type. */
  private static final String PROBE_TYPE = "it.openapi.probe";

  @Test
  void theServedDocumentIsTheOneInTheJar(Stack stack) {
    Http.Response r = new Http().get(stack.gatewayUrl() + "/openapi.json");
    assertEquals(200, r.status());
    assertEquals(new JsonObject(new String(OpenApiHandler.read(), StandardCharsets.UTF_8)), r.json());
  }

  @Test
  void everyOperationAnswersADocumentedStatusAndMediaType(Stack stack) throws Exception {
    JsonObject doc = new JsonObject(new String(OpenApiHandler.read(), StandardCharsets.UTF_8));
    JsonObject paths = doc.getJsonObject("paths");
    HttpClient client = HttpClient.newHttpClient();
    List<String> mismatches = new ArrayList<>();
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        JsonObject responses = paths.getJsonObject(path).getJsonObject(method).getJsonObject("responses");
        String url = stack.gatewayUrl() + path.replace("{stream}", "retail").replace("{type}", PROBE_TYPE)
            .replace("{subject}", PROBE_TYPE).replace("{id}", "1")
            .replace("{version}", "1");
        String contentType = path.endsWith("/events") ? "application/cloudevents+json" : "application/json";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
            .header("Authorization", "Bearer " + Http.DEV_ADMIN);
        String verb = method.toUpperCase(Locale.ROOT);
        if (verb.equals("GET")) {
          b.GET();
        } else {
          // A minimal body: for POST versions it registers {"type":"object"} as a probe type's schema.
          String body = path.endsWith("/versions") ? "{\"type\":\"object\"}" : "{}";
          b.method(verb, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        String status = Integer.toString(r.statusCode());
        String op = verb + " " + path + " -> " + status;
        if (!responses.containsKey(status)) {
          mismatches.add(op + " is not a documented status " + responses.fieldNames() + ": " + r.body());
          continue;
        }
        JsonObject content = responses.getJsonObject(status).getJsonObject("content");
        String got = r.headers().firstValue("content-type").orElse("").split(";")[0].trim();
        if (content != null && !content.containsKey(got)) {
          mismatches.add(op + " answered " + got + ", documented " + content.fieldNames());
        }
      }
    }
    assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
  }
}
