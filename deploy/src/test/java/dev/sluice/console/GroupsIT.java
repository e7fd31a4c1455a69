package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** "Who consumes this stream, and on which schema versions?", answered from the consumer groups' heartbeats. */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class GroupsIT {
  private final Http http = Http.producer();
  /** The console API, as the dev operator (its token name is what the audit trail records). */
  private final Http operator = Http.operator();

  @Test
  void theConsoleListsTheDemoGroupWithTheVersionsItValidated(Stack stack) {
    String productId = "p-" + UUID.randomUUID().toString().substring(0, 8);
    Http.Response posted = http.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/cloudevents+json",
        new JsonObject().put("specversion", "1.0").put("id", UUID.randomUUID().toString()).put("source", "/it/groups")
            .put("type", "retail.product.created").put("data", new JsonObject().put("id", productId)
                .put("brand", "Acme").put("name", "Anvil").put("category", "tools").put("price", 3)).encode());
    assertEquals(202, posted.status(), posted.body());

    JsonObject group = Eventually.await("catalog-builder heartbeat with versions", Duration.ofSeconds(30), () -> {
      Http.Response r = operator.get(stack.consoleUrl() + "/api/v1/groups?stream=retail");
      if (r.status() != 200) {
        return Optional.empty();
      }
      return r.json().getJsonArray("groups").stream().map(JsonObject.class::cast)
          .filter(g -> stack.demoGroup().equals(g.getString("group")))
          .filter(g -> g.getJsonObject("versionsSeen").containsKey("retail.product.created"))
          .findFirst();
    });
    assertTrue(group.getJsonArray("streams").contains("retail"), group.encode());
    assertTrue(group.getJsonObject("versionsSeen").getJsonArray("retail.product.created").contains(1), group.encode());
    assertFalse(group.getJsonArray("instances").isEmpty(), group.encode());

    JsonArray other = operator.get(stack.consoleUrl() + "/api/v1/groups?stream=no-such-stream").json().getJsonArray("groups");
    assertTrue(other.isEmpty(), other.encode());
  }
}
