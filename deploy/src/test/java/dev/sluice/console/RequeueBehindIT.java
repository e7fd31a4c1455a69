package dev.sluice.console;

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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requeue behind, end to end with the demo consumer: a photo that arrived before its product is quarantined (its
 * product is unknown, retries run out), the product then parks behind it; requeueing the photo behind lets the
 * product go first, and the photo is applied after it.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(90)
class RequeueBehindIT {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private final Http producer = Http.producer();
  private final Http operator = Http.operator();

  private static String uid(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private String post(Stack stack, String type, JsonObject data) {
    Http.Response r = producer.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/cloudevents+json",
        new JsonObject().put("specversion", "1.0").put("id", UUID.randomUUID().toString()).put("source", "/it/requeue")
            .put("type", type).put("datacontenttype", "application/json").put("data", data).encode());
    assertEquals(202, r.status(), r.body());
    return QuarantineItem.idFor(stack.demoGroup(), "retail", r.json().getInteger("partition"),
        r.json().getLong("offset"));
  }

  private JsonObject awaitStatus(Stack stack, String id, String status) {
    return Eventually.await("item " + id + " " + status, WAIT, () -> {
      Http.Response r = operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + id);
      return r.status() == 200 && status.equals(r.json().getString("status")) ? Optional.of(r.json())
          : Optional.empty();
    });
  }

  private Http.Response requeue(Stack stack, String id, String body) {
    return operator.post(stack.consoleUrl() + "/api/v1/quarantine/" + id + "/requeue-behind", "application/json",
        body);
  }

  @Test
  void aPhotoBeforeItsProductIsRetriedAfterTheProductOnceRequeuedBehind(Stack stack) {
    String photographer = uid("ph");
    String product = uid("x");
    post(stack, "retail.photographer.registered",
        new JsonObject().put("id", photographer).put("name", "Ann Lens").put("email", "ann@example.com"));
    Eventually.await("photographer", WAIT, () -> Optional.of(producer.get(stack.demoUrl() + "/photographers/"
        + photographer)).filter(r -> r.status() == 200));

    String photo = post(stack, "retail.product.photographed", new JsonObject().put("productId", product)
        .put("photographerId", photographer).put("imageUrl", "https://images.example/" + product + ".jpg"));
    awaitStatus(stack, photo, "QUARANTINED");
    String created = post(stack, "retail.product.created", new JsonObject().put("id", product).put("brand", "Acme")
        .put("name", "Anvil").put("category", "tools").put("price", 25));
    awaitStatus(stack, created, "PARKED");

    Http.Response noReason = requeue(stack, photo, "{}");
    assertEquals(400, noReason.status(), noReason.body());
    assertEquals("/reason", noReason.json().getString("pointer"));
    assertEquals(409, requeue(stack, created, "{\"reason\":\"x\"}").status(), "a parked item is no head");

    Http.Response done = requeue(stack, photo, "{\"reason\":\"the photo came before its product\"}");
    assertEquals(202, done.status(), done.body());
    assertEquals(List.of(created), done.json().getJsonArray("parkedBehind").getList());
    JsonObject appended = done.json().getJsonObject("appendedTo");
    assertEquals(done.json().getInteger("partition"), appended.getInteger("partition"), "same key, same partition");

    // The product goes first, then the photo's retry (a new record) applies against it.
    awaitStatus(stack, created, "RESOLVED");
    JsonObject served = Eventually.await("photo of " + product, WAIT, () -> {
      Http.Response r = producer.get(stack.demoUrl() + "/products/" + product);
      return r.status() == 200 && r.json().getJsonArray("photos", new JsonArray()).size() == 1
          ? Optional.of(r.json()) : Optional.empty();
    });
    assertEquals("Ann Lens", served.getJsonArray("photos").getJsonObject(0).getString("photographerName"));

    JsonObject head = awaitStatus(stack, photo, "RESOLVED");
    assertTrue(head.getJsonArray("history").stream().map(JsonObject.class::cast).anyMatch(h ->
        "RESOLVED".equals(h.getString("action")) && h.getString("detail").contains("the photo came before its product")
            && h.getString("detail").contains("requeued behind 1 parked item")), head.encode());
    JsonArray audit = operator.get(stack.consoleUrl() + "/api/v1/audit?itemId=" + photo).json().getJsonArray("entries");
    assertEquals(1, audit.size(), audit.encode());
    assertEquals("REQUEUE_BEHIND", audit.getJsonObject(0).getString("action"));
    assertTrue(audit.getJsonObject(0).getString("detail").contains("the photo came before its product"));
    assertEquals(Http.DEV_OPERATOR, audit.getJsonObject(0).getString("actor"));
    // The head is settled: a second requeue is refused.
    assertEquals(409, requeue(stack, photo, "{\"reason\":\"again\"}").status());
  }
}
