package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator's side of the story: see a quarantined event, fix it if needed, redrive it, see the view repaired. */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class RedriveIT {
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

  /** The quarantine item the demo group makes of an appended event, once it is in the given status. */
  private JsonObject awaitItem(Stack stack, JsonObject ack, String status) {
    String id = QuarantineItem.idFor(stack.demoGroup(), "retail", ack.getInteger("partition"), ack.getLong("offset"));
    return Eventually.await("item " + id + " " + status, WAIT, () -> {
      Http.Response r = operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + id);
      return r.status() == 200 && status.equals(r.json().getString("status")) ? Optional.of(r.json()) : Optional.empty();
    });
  }

  private JsonObject awaitResource(Stack stack, String path) {
    return Eventually.await(path, WAIT, () -> {
      Http.Response r = http.get(stack.demoUrl() + path);
      return r.status() == 200 ? Optional.of(r.json()) : Optional.empty();
    });
  }

  private Http.Response redrive(Stack stack, String id, String body) {
    return operator.post(stack.consoleUrl() + "/api/v1/quarantine/" + id + "/redrive", "application/json", body);
  }

  @Test
  void aPhotoByAnUnknownPhotographerIsExhaustedThenRedrivenIntoTheCatalog(Stack stack) {
    String productId = Events.uid("p");
    String photographerId = Events.uid("ph");
    post(stack, "retail.product.created", Events.product(productId, 49.5));
    awaitResource(stack, "/products/" + productId);

    JsonObject photoAck = post(stack, "retail.product.photographed", Events.photo(productId, photographerId));
    JsonObject retrying = awaitItem(stack, photoAck, "RETRYING");
    assertEquals("HANDLER_FAILED", retrying.getString("reason"));
    assertEquals(StackExtension.TEST_BACKOFF.maxAttempts(), retrying.getInteger("attempts"),
        "the in-place round, then handed to the delayed tier");
    JsonObject item = awaitItem(stack, photoAck, "QUARANTINED");
    assertEquals("RETRIES_EXHAUSTED", item.getString("reason"));
    assertEquals(StackExtension.TEST_BACKOFF.maxAttempts() + StackExtension.TEST_DELAYED_RETRIES,
        item.getInteger("attempts"), "in place, then every delayed retry");
    assertTrue(item.getString("errorMessage").contains(photographerId), item.getString("errorMessage"));
    assertEquals("retail.product.photographed", item.getString("type"));
    assertEquals(0, awaitResource(stack, "/products/" + productId).getJsonArray("photos").size(),
        "the failed photo is not in the view");

    post(stack, "retail.photographer.registered", Events.photographer(photographerId, "Ann Lens"));
    awaitResource(stack, "/photographers/" + photographerId);

    String id = item.getString("id");
    Http.Response accepted = redrive(stack, id, "");
    assertEquals(202, accepted.status(), accepted.body());

    JsonObject resolved = awaitItem(stack, photoAck, "RESOLVED");
    assertTrue(resolved.getJsonArray("history").stream()
        .anyMatch(h -> Http.DEV_OPERATOR.equals(((JsonObject) h).getString("actor"))), "the operator is audited");
    JsonArray photos = awaitResource(stack, "/products/" + productId).getJsonArray("photos");
    assertEquals(1, photos.size());
    assertEquals("Ann Lens", photos.getJsonObject(0).getString("photographerName"));

    Http.Response again = redrive(stack, id, "");
    assertEquals(409, again.status(), again.body());
    assertTrue(again.contentType().startsWith("application/problem+json"));
  }

  @Test
  void aFixedRedriveOfARejectedProductAppliesTheFix(Stack stack) {
    String productId = Events.uid("p");
    JsonObject ack = post(stack, "retail.product.created", Events.product(productId, 250_000));
    JsonObject item = awaitItem(stack, ack, "QUARANTINED");
    assertEquals("HANDLER_REJECTED", item.getString("reason"));
    assertEquals(1, item.getInteger("attempts"), "a non-retryable failure is not retried");
    assertEquals(404, http.get(stack.demoUrl() + "/products/" + productId).status());

    Http.Response invalid = redrive(stack, item.getString("id"),
        new JsonObject().put("data", Events.product(productId, -1)).encode());
    assertEquals(422, invalid.status(), invalid.body());
    assertEquals("/data/price", invalid.json().getJsonArray("violations").getJsonObject(0).getString("pointer"));

    Http.Response fixed = redrive(stack, item.getString("id"),
        new JsonObject().put("data", Events.product(productId, 25)).encode());
    assertEquals(202, fixed.status(), fixed.body());

    awaitItem(stack, ack, "RESOLVED");
    JsonObject product = awaitResource(stack, "/products/" + productId);
    assertEquals(25, product.getNumber("price").intValue());
  }

  @Test
  void aRedriveWhoseQueueMessageWasLostIsSentAgainByTheGroup(Stack stack) throws Exception {
    String productId = Events.uid("p");
    JsonObject ack = post(stack, "retail.product.created", Events.product(productId, 400_000));
    String id = awaitItem(stack, ack, "QUARANTINED").getString("id");

    // The console's first write (QUARANTINED -> REDRIVEN with the fix) succeeds, then it dies before the SQS send.
    Vertx vertx = Vertx.vertx();
    try {
      new QuarantineStore(vertx, stack.dynamo(), stack.quarantineTable(), Clock.systemUTC())
          .operator().requestRedrive(id, Optional.of(Events.product(productId, 40).encode()), "crashed-console")
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    awaitItem(stack, ack, "RESOLVED");
    assertEquals(40, awaitResource(stack, "/products/" + productId).getNumber("price").intValue());
  }

  @Test
  void theListShowsQuarantinedItemsNewestFirstAndFilters(Stack stack) {
    String productId = Events.uid("p");
    JsonObject ack = post(stack, "retail.product.created", Events.product(productId, 300_000));
    JsonObject item = awaitItem(stack, ack, "QUARANTINED");

    Http.Response list = operator.get(stack.consoleUrl() + "/api/v1/quarantine?status=QUARANTINED&stream=retail&group="
        + stack.demoGroup());
    assertEquals(200, list.status(), list.body());
    JsonArray items = list.json().getJsonArray("items");
    assertTrue(items.stream().anyMatch(i -> item.getString("id").equals(((JsonObject) i).getString("id"))));
    for (int i = 1; i < items.size(); i++) {
      assertTrue(!java.time.Instant.parse(items.getJsonObject(i - 1).getString("quarantinedAt"))
          .isBefore(java.time.Instant.parse(items.getJsonObject(i).getString("quarantinedAt"))), "newest first");
    }
    Http.Response otherGroup = operator.get(stack.consoleUrl() + "/api/v1/quarantine?group=nobody");
    assertEquals(0, otherGroup.json().getJsonArray("items").size());
  }
}
