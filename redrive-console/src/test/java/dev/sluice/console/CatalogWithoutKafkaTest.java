package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.auth.AuthSettings;
import dev.sluice.console.catalog.CatalogKafka;
import dev.sluice.console.config.ConsoleConfig;
import dev.sluice.console.support.DeadEngines;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stream catalog when Kafka is not there (a real Kafka client on a loopback port where nothing listens) and the
 * console has no heartbeats to read: the registry's part comes back, promptly, with notes saying what is missing.
 */
class CatalogWithoutKafkaTest {
  private Vertx vertx;
  private DeadEngines engines;
  private PrometheusMeterRegistry meters;
  private WebClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    engines = new DeadEngines(vertx);
    meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ConsoleParts p = engines.consoleParts(AuthSettings.dev(), SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()));
    ConsoleParts parts = new ConsoleParts(p.registry(), p.store(), p.redrives(), p.audit(), p.access(), p.groups(),
        p.jobs(), p.replays(), p.storms(), p.subjects(),
        Optional.of(new CatalogKafka(vertx, Map.of("bootstrap.servers", "127.0.0.1:1"))));
    ConsoleVerticle console = new ConsoleVerticle(new ConsoleConfig("127.0.0.1", 0, AuthSettings.dev()), parts,
        meters);
    vertx.deployVerticle(console).await(20, TimeUnit.SECONDS);
    client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(console.actualPort()));
  }

  @AfterEach
  void stop() {
    client.close();
    vertx.close().await();
    engines.close();
    meters.close();
  }

  private HttpResponse<Buffer> get(String uri) throws Exception {
    return client.get(uri).putHeader("Authorization", "Bearer dev-viewer").send().await(30, TimeUnit.SECONDS);
  }

  @Test
  void aStreamsPageComesBackWithoutSamplesOrKafkaGroupsAndSaysWhy() throws Exception {
    long started = System.nanoTime();
    HttpResponse<Buffer> r = get("/api/v1/catalog/streams/retail");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertTrue(took.compareTo(CatalogKafka.DEADLINE.plusSeconds(3)) < 0, "answered within its bound: " + took);
    JsonObject page = r.bodyAsJsonObject();
    assertEquals("retail", page.getString("name"));
    assertEquals(3, page.getJsonArray("types").size(), "the registry's part is there");
    assertTrue(page.getJsonArray("samples").isEmpty());
    assertTrue(page.getJsonArray("groups").isEmpty());
    String notes = page.getJsonArray("notes").encode();
    assertTrue(notes.contains("Kafka did not answer in time: the sample events are not shown"), notes);
    assertTrue(notes.contains("consumer groups that do not heartbeat"), notes);
    assertTrue(notes.contains("no consumer-group heartbeats"), notes);
    assertTrue(page.getJsonArray("producers").isEmpty());
    assertTrue(notes.contains("reads no producer reports"), notes);
  }

  @Test
  void theListNeedsNoKafkaAndSaysTheReadersAreUnknownWithoutHeartbeats() throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/catalog/streams");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject retail = r.bodyAsJsonObject().getJsonArray("streams").getJsonObject(0);
    assertEquals("retail", retail.getString("name"));
    assertEquals("forever", retail.getString("retention"));
    assertTrue(retail.containsKey("groupsReading") && retail.getValue("groupsReading") == null, retail.encode());
    assertEquals(1, r.bodyAsJsonObject().getJsonArray("notes").size());
  }

  @Test
  void theStreamPagesAreServedForAnyRole() throws Exception {
    for (String path : new String[] {"/streams", "/streams/retail"}) {
      HttpResponse<Buffer> page = get(path);
      assertEquals(200, page.statusCode(), path);
      assertTrue(page.bodyAsString().contains("id=\"catalog\""), path);
    }
  }
}
