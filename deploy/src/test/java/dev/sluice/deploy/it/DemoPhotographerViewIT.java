package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.deploy.config.DemoConfig;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The demo consumer's public view of a photographer: {@code GET /photographers/{id}} needs no credentials, so it
 * serves the name and never the e-mail address the registration event carries, and the view's table does not keep
 * the address either. A photographer stored with an address (as the view did before) is served without it too.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(60)
class DemoPhotographerViewIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final Http producer = Http.producer();
  /** No credentials: anyone who reaches the demo's port. */
  private final Http anyone = new Http();

  private Http.Response awaitPhotographer(Stack stack, String id) {
    return Eventually.await("photographer " + id, WAIT, () -> Optional.of(anyone.get(stack.demoUrl()
        + "/photographers/" + id)).filter(r -> r.status() == 200));
  }

  private static Map<String, AttributeValue> viewKey(String id) {
    return Map.of("pk", AttributeValue.fromS("photographer#" + id), "sk", AttributeValue.fromS("photographer"));
  }

  @Test
  void aRegisteredPhotographerIsServedWithoutTheEmailAddressAndTheViewDoesNotKeepIt(Stack stack) {
    String id = Events.uid("ph");
    String email = id + "@example.com";
    Http.Response posted = producer.post(stack.gatewayUrl() + "/v1/streams/retail/events",
        "application/cloudevents+json", Events.structured("retail.photographer.registered",
            new JsonObject().put("id", id).put("name", "Ann Lens").put("email", email)));
    assertEquals(202, posted.status(), posted.body());

    Http.Response served = awaitPhotographer(stack, id);
    JsonObject photographer = served.json();
    assertEquals(id, photographer.getString("id"));
    assertEquals("Ann Lens", photographer.getString("name"));
    assertFalse(photographer.containsKey("email"), served.body());
    assertFalse(served.body().contains(email), served.body());

    Map<String, AttributeValue> stored = stack.dynamo().getItem(b -> b.tableName(DemoConfig.defaults().catalogTable())
        .key(viewKey(id)).consistentRead(true)).item();
    assertFalse(stored.isEmpty(), "the view holds the photographer");
    assertFalse(stored.toString().contains(email), "the view's table keeps no address: " + stored);
  }

  @Test
  void aPhotographerStoredWithAnEmailAddressIsServedWithoutIt(Stack stack) {
    String id = Events.uid("ph");
    String email = id + "@example.com";
    // As the view stored a registration before it left the address out.
    Map<String, AttributeValue> item = new java.util.HashMap<>(viewKey(id));
    item.put("doc", AttributeValue.fromS(new JsonObject().put("id", id).put("name", "Bo Shutter").put("email", email)
        .encode()));
    stack.dynamo().putItem(b -> b.tableName(DemoConfig.defaults().catalogTable()).item(item));

    Http.Response served = anyone.get(stack.demoUrl() + "/photographers/" + id);
    assertEquals(200, served.status(), served.body());
    assertEquals("Bo Shutter", served.json().getString("name"));
    assertFalse(served.body().contains(email), served.body());
  }
}
