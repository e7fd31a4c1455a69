package dev.sluice.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.http.OpenApiHandler;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.log.RegistryAdmin;
import dev.sluice.schemas.registry.log.RegistryLog;
import dev.sluice.schemas.registry.log.RegistryLogConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenAPI document served at {@code /openapi.json} describes exactly the routes the gateway has: every operation
 * the router serves is documented, and every documented operation is served. (What each operation answers is checked
 * against the running stack in {@code OpenApiIT}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {
  private static final Set<HttpMethod> DOCUMENTABLE = Set.of(
      HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH);

  private Vertx vertx;
  private GatewayVerticle gateway;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Map<String, String> kafka = Map.of("bootstrap.servers", "127.0.0.1:" + closed);
    SchemaRegistry registry = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());
    // The registry API's routes are mounted when a writer is given; the log is never started (no broker here), and
    // routing does not need it.
    RegistryLog log = new RegistryLog(RegistryLogConfig.defaults(), kafka);
    GatewayParts standalone = GatewayParts.standalone(registry, meters);
    GatewayParts parts = new GatewayParts(registry,
        Optional.of(new GatewayParts.RegistryApi(new RegistryAdmin(log), 65536)),
        standalone.authorizer(), standalone.dedup(), standalone.rejects(), standalone.keys());
    gateway = new GatewayVerticle(new GatewayConfig("127.0.0.1", 0, 1024, Duration.ofSeconds(1)), parts, kafka, meters);
    vertx.deployVerticle(gateway).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Set<String> documented() {
    JsonObject doc = new JsonObject(new String(OpenApiHandler.read(), StandardCharsets.UTF_8));
    assertTrue(doc.getString("openapi").startsWith("3."), "an OpenAPI 3 document");
    Set<String> ops = new TreeSet<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        ops.add(method.toUpperCase(Locale.ROOT) + " " + path);
      }
    }
    return ops;
  }

  private Set<String> routed() {
    Set<String> ops = new TreeSet<>();
    for (Route route : gateway.router().getRoutes()) {
      String path = route.getPath();
      if (path == null || route.methods() == null) {
        continue; // failure handlers and catch-alls
      }
      String openApiPath = path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      for (HttpMethod m : route.methods()) {
        if (DOCUMENTABLE.contains(m)) {
          ops.add(m.name() + " " + openApiPath);
        }
      }
    }
    return ops;
  }

  @Test
  void everyRoutedOperationIsDocumentedAndEveryDocumentedOneIsRouted() {
    Set<String> routed = routed();
    Set<String> documented = documented();
    assertFalse(routed.isEmpty());
    Set<String> undocumented = new TreeSet<>(routed);
    undocumented.removeAll(documented);
    Set<String> unrouted = new TreeSet<>(documented);
    unrouted.removeAll(routed);
    assertEquals(Set.of(), undocumented, "routes missing from openapi.json");
    assertEquals(Set.of(), unrouted, "operations in openapi.json the gateway does not serve");
  }

  @Test
  void everyOperationDocumentsItsErrorsAsProblems() {
    JsonObject doc = new JsonObject(new String(OpenApiHandler.read(), StandardCharsets.UTF_8));
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        JsonObject responses = paths.getJsonObject(path).getJsonObject(method).getJsonObject("responses");
        for (String status : responses.fieldNames()) {
          int code = Integer.parseInt(status);
          if (code >= 400 && path.startsWith("/v1/")) {
            assertTrue(responses.getJsonObject(status).getJsonObject("content").containsKey("application/problem+json"),
                method + " " + path + " " + status + " is not documented as application/problem+json");
          }
        }
      }
    }
  }
}
