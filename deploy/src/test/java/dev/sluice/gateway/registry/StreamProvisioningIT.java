package dev.sluice.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stream created over the registry API gets its topic at once, grows with its definition, keeps its events as the
 * definition says, and takes events.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class StreamProvisioningIT {

  private static JsonObject definition(String stream, int partitions) {
    return new JsonObject().put("topic", stream).put("partitions", partitions).put("ordering", "KEY_ORDERED")
        .put("types", new JsonArray().add(new JsonObject().put("type", "retail.product.created")
            .put("partitionKey", "/id")));
  }

  private static int put(Stack stack, String stream, int partitions) throws Exception {
    return put(stack, stream, definition(stream, partitions)).statusCode();
  }

  private static HttpResponse<String> put(Stack stack, String stream, JsonObject def) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/v1/streams/" + stream))
            .header("Authorization", "Bearer " + Http.DEV_ADMIN).header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60)).PUT(HttpRequest.BodyPublishers.ofString(def.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String topicConfig(Stack stack, String topic, String name) throws Exception {
    try (Admin admin = Admin.create(new HashMap<String, Object>(stack.kafkaProps()))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      return admin.describeConfigs(List.of(resource)).values().get(resource).get(30, TimeUnit.SECONDS).get(name)
          .value();
    }
  }

  private static int partitionsOf(Stack stack, String topic) throws Exception {
    try (Admin admin = Admin.create(new HashMap<String, Object>(stack.kafkaProps()))) {
      return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
          .partitions().size();
    }
  }

  @Test
  void aNewStreamGetsItsTopicGrowsWithItAndTakesEvents(Stack stack) throws Exception {
    String stream = "it-orders-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, put(stack, stream, 2));
    assertEquals(2, partitionsOf(stack, stream));

    Http.Response posted = Http.producer().post(stack.gatewayUrl() + "/v1/streams/" + stream + "/events",
        "application/cloudevents+json", new JsonObject().put("specversion", "1.0").put("id", UUID.randomUUID().toString())
            .put("source", "/it/streams").put("type", "retail.product.created")
            .put("data", new JsonObject().put("id", "o-1").put("brand", "Acme").put("name", "Anvil")
                .put("category", "tools").put("price", 3)).encode());
    assertEquals(202, posted.status(), posted.body());
    assertEquals(stream, posted.json().getString("topic"));

    assertEquals(200, put(stack, stream, 4));
    assertEquals(4, partitionsOf(stack, stream));
    assertEquals(409, put(stack, stream, 3), "a topic cannot shrink");
  }

  @Test
  void aStreamKeepsItsEventsAsItsDefinitionSaysAndAChangeIsApplied(Stack stack) throws Exception {
    String stream = "it-ledger-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> created = put(stack, stream, definition(stream, 1).put("retention", "P30D"));
    assertEquals(201, created.statusCode(), created.body());
    assertEquals(Long.toString(Duration.ofDays(30).toMillis()),
        topicConfig(stack, stream, TopicConfig.RETENTION_MS_CONFIG));
    assertEquals("1", topicConfig(stack, stream, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG));
    assertEquals("P30D", Http.withKey(Http.DEV_ADMIN).get(stack.gatewayUrl() + "/v1/streams/" + stream).json()
        .getString("retention"));

    // Kept forever from now on: the topic stops deleting by age.
    HttpResponse<String> forever = put(stack, stream, definition(stream, 1).put("retention", "forever"));
    assertEquals(200, forever.statusCode(), forever.body());
    assertEquals("-1", topicConfig(stack, stream, TopicConfig.RETENTION_MS_CONFIG));
  }

  @Test
  void aRetentionThatIsNotForeverOrAnHourOrMoreIsRefusedAtItsPointer(Stack stack) throws Exception {
    String stream = "it-ledger-" + UUID.randomUUID().toString().substring(0, 8);
    for (Object bad : List.of("PT5M", "7 days", 7)) {
      HttpResponse<String> r = put(stack, stream, definition(stream, 1).put("retention", bad));
      assertEquals(422, r.statusCode(), r.body());
      assertEquals("/retention", new JsonObject(r.body()).getJsonArray("violations").getJsonObject(0)
          .getString("pointer"), r.body());
    }
  }
}
