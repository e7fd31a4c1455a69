package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.store.QuarantineItem;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A refused event is kept as an ingress quarantine item, so operators see what producers send wrong. */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class RejectCaptureIT {
  private final Http http = Http.producer();
  /** The console API, as the dev operator (its token name is what the audit trail records). */
  private final Http operator = Http.operator();

  @Test
  void aSchemaViolationBecomesAnIngressItemWithItsViolations(Stack stack) {
    String id = UUID.randomUUID().toString();
    String body = new JsonObject().put("specversion", "1.0").put("id", id).put("source", "/it/capture")
        .put("type", "retail.product.created")
        .put("data", Events.product(Events.uid("p"), 10).put("price", -5)).encode();
    Http.Response r = http.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/cloudevents+json",
        body, "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertEquals(422, r.status(), r.body());

    String itemId = QuarantineItem.ingressIdFor("retail", "/it/capture", id, body.getBytes(StandardCharsets.UTF_8));
    JsonObject item = Eventually.await("ingress item " + itemId, Duration.ofSeconds(20), () -> Optional.of(
        operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + itemId)).filter(x -> x.status() == 200)
        .map(Http.Response::json));
    assertEquals(QuarantineItem.INGRESS_GROUP, item.getString("group"), item.encode());
    assertEquals("SCHEMA_VIOLATION", item.getString("reason"));
    assertEquals(id, item.getString("eventId"));
    assertTrue(item.encode().contains("/data/price"), item.encode());
    assertTrue(item.encode().contains("4bf92f3577b34da6a3ce929d0e0e4736"), "traceparent recorded: " + item.encode());
    assertTrue(!item.encode().contains("dev-producer"), "credentials are never stored");
  }
}
