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
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Idempotent ingest: a repeated (source, id) gets the original position and is not appended again. */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class DedupIT {
  private static final String CE = "application/cloudevents+json";
  private final Http http = Http.producer();

  private static String event(String id, String source, String productId) {
    return new JsonObject().put("specversion", "1.0").put("id", id).put("source", source)
        .put("type", "retail.product.created").put("data", Events.product(productId, 10)).encode();
  }

  private static long copiesOf(Stack stack, Map<Integer, Long> from, String id) {
    return RetailTopic.readFrom(stack, from).stream()
        .filter(r -> id.equals(RetailTopic.header(r, "ce_id"))).count();
  }

  @Test
  void aRetriedEventGetsItsOriginalPositionAndIsAppendedOnce(Stack stack) {
    Map<Integer, Long> before = RetailTopic.endOffsets(stack);
    String id = UUID.randomUUID().toString();
    String body = event(id, "/it/dedup", Events.uid("p"));
    String url = stack.gatewayUrl() + "/v1/streams/retail/events";

    JsonObject first = http.post(url, CE, body).json();
    Http.Response again = http.post(url, CE, body);
    assertEquals(202, again.status(), again.body());
    JsonObject second = again.json();
    assertEquals(first.getInteger("partition"), second.getInteger("partition"));
    assertEquals(first.getLong("offset"), second.getLong("offset"));
    assertFalse(first.getBoolean("duplicate", false));
    assertTrue(second.getBoolean("duplicate", false));
    assertEquals(1, copiesOf(stack, before, id));
  }

  @Test
  void theSameIdFromAnotherSourceIsAnotherEvent(Stack stack) {
    String id = UUID.randomUUID().toString();
    String url = stack.gatewayUrl() + "/v1/streams/retail/events";
    JsonObject a = http.post(url, CE, event(id, "/it/source-a", Events.uid("p"))).json();
    JsonObject b = http.post(url, CE, event(id, "/it/source-b", Events.uid("p"))).json();
    assertFalse(b.getBoolean("duplicate", false));
    assertFalse(a.getInteger("partition").equals(b.getInteger("partition"))
        && a.getLong("offset").equals(b.getLong("offset")));
  }

  @Test
  void aRetriedBatchAppendsOnlyWhatWasNotYetAccepted(Stack stack) {
    Map<Integer, Long> before = RetailTopic.endOffsets(stack);
    String url = stack.gatewayUrl() + "/v1/streams/retail/events";
    String id1 = UUID.randomUUID().toString();
    String id2 = UUID.randomUUID().toString();
    String one = event(id1, "/it/dedup-batch", Events.uid("p"));
    String two = event(id2, "/it/dedup-batch", Events.uid("p"));
    assertEquals(202, http.post(url, CE, one).status());

    Http.Response batch = http.post(url, "application/cloudevents-batch+json", "[" + one + "," + two + "]");
    assertEquals(202, batch.status(), batch.body());
    JsonArray results = batch.json().getJsonArray("results");
    assertEquals("accepted", results.getJsonObject(0).getString("status"));
    assertEquals("accepted", results.getJsonObject(1).getString("status"));
    assertEquals(1, copiesOf(stack, before, id1));
    assertEquals(1, copiesOf(stack, before, id2));
  }
}
