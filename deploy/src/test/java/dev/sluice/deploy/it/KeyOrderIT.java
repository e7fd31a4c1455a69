package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.store.QuarantineItem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Key-ordered quarantine in the demo: catalog-builder reads the KEY_ORDERED retail stream, so a photo of a product
 * whose creation is quarantined waits behind it, and is applied after the product once the product is fixed.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(60)
class KeyOrderIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final Http http = Http.producer();
  /** The console API, as the dev operator (its token name is what the audit trail records). */
  private final Http operator = Http.operator();

  private JsonObject post(Stack stack, String type, JsonObject data) {
    Http.Response r = http.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/cloudevents+json",
        Events.structured(type, data));
    assertEquals(202, r.status(), r.body());
    return r.json();
  }

  private String idOf(Stack stack, JsonObject ack) {
    return QuarantineItem.idFor(stack.demoGroup(), "retail", ack.getInteger("partition"), ack.getLong("offset"));
  }

  private JsonObject awaitStatus(Stack stack, JsonObject ack, String status) {
    String id = idOf(stack, ack);
    return Eventually.await("item " + id + " " + status, WAIT, () -> {
      Http.Response r = operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + id);
      return r.status() == 200 && status.equals(r.json().getString("status")) ? Optional.of(r.json())
          : Optional.empty();
    });
  }

  private JsonObject awaitProduct(Stack stack, String productId) {
    return Eventually.await("product " + productId, WAIT, () -> {
      Http.Response r = http.get(stack.demoUrl() + "/products/" + productId);
      return r.status() == 200 ? Optional.of(r.json()) : Optional.empty();
    });
  }

  @Test
  void aPhotoOfAQuarantinedProductWaitsForTheFixedProductWhileOtherProductsFlow(Stack stack) {
    String x = Events.uid("x");
    String y = Events.uid("y");
    String photographer = Events.uid("ph");
    post(stack, "retail.photographer.registered", Events.photographer(photographer, "Ann Lens"));
    Eventually.await("photographer", WAIT, () -> Optional.of(http.get(stack.demoUrl() + "/photographers/"
        + photographer)).filter(r -> r.status() == 200));

    JsonObject created = post(stack, "retail.product.created", Events.product(x, 250_000));
    JsonObject head = awaitStatus(stack, created, "QUARANTINED");
    assertEquals("HANDLER_REJECTED", head.getString("reason"));

    JsonObject photo = post(stack, "retail.product.photographed", Events.photo(x, photographer));
    assertEquals(created.getInteger("partition"), photo.getInteger("partition"), "same key, same partition");
    JsonObject parked = awaitStatus(stack, photo, "PARKED");
    assertEquals("KEY_BLOCKED", parked.getString("reason"));
    assertEquals(0, parked.getInteger("attempts"), "its handler was not called");

    post(stack, "retail.product.created", Events.product(y, 12));
    assertEquals(12, awaitProduct(stack, y).getNumber("price").intValue(), "another key is served normally");
    assertEquals(404, http.get(stack.demoUrl() + "/products/" + x).status());
    assertEquals("PARKED", operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + idOf(stack, photo)).json()
        .getString("status"), "still waiting: the photo would otherwise have been retried against no product");

    Http.Response fixed = operator.post(stack.consoleUrl() + "/api/v1/quarantine/" + head.getString("id") + "/redrive",
        "application/json", new JsonObject().put("data", Events.product(x, 25)).encode());
    assertEquals(202, fixed.status(), fixed.body());

    awaitStatus(stack, created, "RESOLVED");
    awaitStatus(stack, photo, "RESOLVED");
    JsonObject product = awaitProduct(stack, x);
    assertEquals(25, product.getNumber("price").intValue());
    JsonArray photos = product.getJsonArray("photos");
    assertEquals(1, photos.size(), product.encode());
    assertEquals("Ann Lens", photos.getJsonObject(0).getString("photographerName"));
    JsonObject released = operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + idOf(stack, photo)).json();
    assertEquals(1, released.getInteger("attempts"), "applied on its first call, after the product");
    assertTrue(released.getJsonArray("history").stream().anyMatch(e -> "RESOLVED".equals(((JsonObject) e)
        .getString("action"))));
  }
}
