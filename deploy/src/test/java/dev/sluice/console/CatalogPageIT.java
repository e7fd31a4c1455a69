package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.auth.SensitiveFields;
import dev.sluice.deploy.testing.Browser;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.groups.GroupRegistry;
import dev.sluice.quarantine.groups.Heartbeater;
import dev.sluice.schemas.contracts.ReadContract;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stream catalog's pages in a real headless Chromium against the whole stack: a viewer follows the navigation
 * from the quarantine page to the streams list, opens a stream of the test's own, and sees its label, both schema
 * versions with the change between them, per field the groups that declared they read it (with their owners), a plain
 * consumer group with its lag, the API key that posted the events among the producers seen, with its count, and the
 * newest events with the photographer's marked values masked. The screenshot {@code console-stream.png} goes to
 * {@code target/screenshots/}.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(120)
class CatalogPageIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @BeforeAll
  static void needsABrowser() {
    Assumptions.assumeTrue(Browser.available(), "Debian chromium and chromium-driver are not installed");
  }

  private static void post(Stack stack, String stream, String type, JsonObject data) {
    Http.Response r = Http.producer().post(stack.gatewayUrl() + "/v1/streams/" + stream + "/events",
        "application/cloudevents+json", new JsonObject().put("specversion", "1.0")
            .put("id", UUID.randomUUID().toString()).put("source", "/it/catalog-page").put("type", type)
            .put("data", data).encode());
    assertEquals(202, r.status(), r.body());
  }

  @Test
  void aViewerFindsAStreamAndReadsItsPage(Stack stack) throws Exception {
    String token = UUID.randomUUID().toString().substring(0, 8);
    String type = "it.catalog." + token + ".placed";
    String stream = CatalogIT.streamWithTwoVersions(stack, type);
    String secret = "zq" + token;
    post(stack, stream, type, new JsonObject().put("id", "o-1").put("note", "gift wrap"));
    post(stack, stream, "retail.photographer.registered", new JsonObject().put("id", "ph-7")
        .put("name", "Ann " + secret).put("email", "ann." + secret + "@example.com"));
    String group = "billing-" + token;
    Map<String, Object> props = new HashMap<>(stack.kafkaProps());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(stream, 0);
      consumer.assign(List.of(tp));
      consumer.commitSync(Map.of(tp, new OffsetAndMetadata(1)));
    }

    // Two groups of the test's own declare what they read of the type, as wrapped consumers' heartbeats do.
    Vertx vertx = Vertx.vertx();
    GroupRegistry registry = new GroupRegistry(vertx, stack.dynamo(), stack.groupsTable(), Clock.systemUTC());
    String shipping = "shipping-" + token;
    List<Heartbeater> declaring = List.of(
        CatalogIT.declaring(vertx, registry, shipping, stream, ReadContract.builder().owner("logistics")
            .contact("#shipping").reads(type, "/data/id", "/data/note").build()),
        CatalogIT.declaring(vertx, registry, "ledger-" + token, stream, ReadContract.builder().owner("finance")
            .reads(type, "/data/id").build()));
    for (Heartbeater h : declaring) {
      h.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    // The gateway reports both events (dev-producer's) within a second or so: wait for the report before the page
    // loads, so the page shows it (it reads once, it does not poll).
    dev.sluice.deploy.testing.Eventually.await("dev-producer's two events reported", WAIT, () -> {
      Http.Response r = Http.viewer().get(stack.consoleUrl() + "/api/v1/catalog/streams/" + stream);
      return r.status() != 200 ? java.util.Optional.<Boolean>empty()
          : r.json().getJsonArray("producers").stream().map(JsonObject.class::cast)
              .filter(p -> Http.DEV_PRODUCER.equals(p.getString("key")) && p.getLong("totalEvents") == 2L)
              .findFirst().map(p -> true);
    });

    try (Browser browser = Browser.start()) {
      browser.signIn(stack.consoleUrl(), "/", "viewer", "viewer");
      browser.awaitText("[data-testid=session-user]", "signed in", WAIT, t -> t.contains("viewer"));
      browser.click(browser.find("[data-testid=nav-streams]"));
      // The console reads the registry's log: the new stream is listed once it has read the PUT (reload till then).
      String row = "tr[data-testid=stream-row][data-stream='" + stream + "']";
      dev.sluice.deploy.testing.Eventually.await("the stream listed", WAIT, () -> {
        Object found = browser.script("return !!document.querySelector(\"" + row.replace("\"", "\\\"") + "\");");
        if (!Boolean.TRUE.equals(found)) {
          browser.open(stack.consoleUrl() + "/streams");
          return java.util.Optional.empty();
        }
        return java.util.Optional.of(true);
      });
      assertEquals("team-catalog", browser.text(browser.find(row + " [data-testid=stream-row-owner]")));
      browser.click(browser.find(row + " [data-testid=stream-link]"));

      browser.awaitText("[data-testid=stream-owner]", "the label", WAIT, "team-catalog"::equals);
      assertEquals("Orders, as placed.", browser.text(browser.find("[data-testid=stream-description]")));
      assertEquals("PT5M", browser.text(browser.find("[data-testid=stream-staleness]")));
      assertEquals("#catalog", browser.text(browser.find("[data-testid=stream-contact]")));

      String block = "[data-testid=type-block][data-type='" + type + "']";
      String schema = browser.text(browser.find(block + " [data-testid=schema-version][data-version='2'] "
          + "[data-testid=schema-json]"));
      assertTrue(schema.contains("\"description\": \"free text\""), "v2 pretty-printed: " + schema);
      String diff = browser.text(browser.find(block + " [data-testid=diff-line]"));
      assertTrue(diff.startsWith("+ /properties/note"), diff);

      String id = block + " [data-testid=declared-pointer][data-pointer='/data/id']";
      String idReaders = browser.awaitText(id, "the groups reading /data/id", WAIT, t -> t.startsWith("2 groups read"));
      assertEquals("2 groups read /data/id: ledger-" + token + ", " + shipping, idReaders);
      assertEquals("1 group reads /data/note: " + shipping, browser.text(browser.find(
          block + " [data-testid=declared-pointer][data-pointer='/data/note']")));
      String owner = browser.text(browser.find(block + " [data-testid=declared-group][data-group='" + shipping + "']"));
      assertTrue(owner.contains("logistics (#shipping)"), owner);
      String shippingRow = "tr[data-testid=group-row][data-group='" + shipping + "']";
      assertEquals("logistics (#shipping)", browser.text(browser.find(shippingRow + " [data-testid=group-owner]")));
      assertEquals(type + ": /data/id, /data/note",
          browser.text(browser.find(shippingRow + " [data-testid=group-reads]")));

      String groupRow = "tr[data-testid=group-row][data-group='" + group + "']";
      browser.awaitText(groupRow + " [data-testid=group-lag]", "the plain group's lag", WAIT, "1"::equals);
      assertEquals("no", browser.text(browser.find(groupRow + " [data-testid=group-wrapped]")));

      // Producers seen: the key that posted both events, by its name, with its count; no other key.
      String producerRow = "tr[data-testid=producer-row][data-key='" + Http.DEV_PRODUCER + "']";
      browser.awaitText(producerRow + " [data-testid=producer-total]", "dev-producer's total", WAIT, "2"::equals);
      assertEquals(Http.DEV_PRODUCER, browser.text(browser.find(producerRow + " [data-testid=producer-key]")));
      String rate = browser.text(browser.find(producerRow + " [data-testid=producer-rate]"));
      assertTrue(rate.equals("idle") || rate.endsWith("/s"), rate);
      assertEquals(1, ((Number) browser.script(
          "return document.querySelectorAll('[data-testid=producer-row]').length;")).intValue());

      String samples = browser.awaitText("[data-testid=stream-samples]", "both samples", WAIT,
          t -> t.contains("gift wrap") && t.contains("ph-7"));
      assertTrue(samples.contains(SensitiveFields.MASK), samples);
      assertFalse(samples.contains(secret), "a viewer never sees a marked value: " + samples);
      assertFalse(samples.contains("sluice:v1:"), "nor its ciphertext: " + samples);

      Files.deleteIfExists(OperatorStoryIT.SCREENSHOTS.resolve("console-stream.png"));
      assertTrue(Files.size(browser.screenshot(OperatorStoryIT.SCREENSHOTS.resolve("console-stream.png"))) > 10_000,
          "a stream page screenshot");
    } finally {
      for (Heartbeater h : declaring) {
        h.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
