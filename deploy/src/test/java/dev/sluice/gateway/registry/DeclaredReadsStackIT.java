package dev.sluice.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway as deployed asks the groups table who declared reads of a type: the demo consumer (catalog-builder)
 * declares it reads {@code /data/price} of {@code retail.product.created} and heartbeats that declaration, so the dry
 * run of a schema that narrows the price names it, with its owner and contact. Appends nothing.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(120)
class DeclaredReadsStackIT {
  private static final String TYPE = "retail.product.created";
  private final Http admin = Http.withKey(Http.DEV_ADMIN);

  @Test
  void theDryRunNamesTheDemoGroupWhoseDeclaredReadAChangeBreaks(Stack stack) {
    JsonObject latest = admin.get(stack.gatewayUrl() + "/v1/schemas/" + TYPE + "/versions/latest").json();
    String integerPrice = latest.getJsonObject("schema").encode()
        .replace("\"price\":{\"type\":\"number\"", "\"price\":{\"type\":\"integer\"");
    assertTrue(integerPrice.contains("\"integer\""), integerPrice);
    String url = stack.gatewayUrl() + "/v1/schemas/" + TYPE + "/compatibility";
    // The demo group's first heartbeat may not be in the table yet when the stack has just started.
    JsonObject answer = Eventually.await("the demo group among the affected groups", Duration.ofSeconds(30), () -> {
      JsonObject a = admin.post(url, "application/json", integerPrice).json();
      return a.getJsonArray("affects").isEmpty() ? Optional.empty() : Optional.of(a);
    });
    assertEquals(false, answer.getBoolean("compatible"));
    assertEquals("inform", answer.getString("declaredReads"));
    JsonObject demo = answer.getJsonArray("affects").stream().map(JsonObject.class::cast)
        .filter(g -> stack.demoGroup().equals(g.getString("group"))).findFirst().orElseThrow();
    assertEquals("team-catalog", demo.getString("owner"));
    assertTrue(demo.getJsonArray("pointers").contains("/data/price"), demo.encode());
    assertTrue(demo.getJsonArray("rules").contains("type-narrowed"), demo.encode());
  }
}
