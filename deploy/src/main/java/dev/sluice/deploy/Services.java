package dev.sluice.deploy;

import dev.sluice.console.ConsoleVerticle;
import dev.sluice.deploy.demo.CatalogBuilderVerticle;
import dev.sluice.gateway.GatewayVerticle;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import dev.sluice.deploy.config.SluiceConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Deploys Sluice's parts into one Vert.x instance: one verticle per deployable, each with its collaborators passed in
 * and its own meter registry (so each {@code /metrics} shows its own part). The same code runs {@code ./sluice dev},
 * each {@code ./sluice <part>} process, and the integration tests.
 */
public final class Services {
  /** The deployable parts. */
  public enum Part {
    GATEWAY, CONSOLE, DEMO
  }

  private final Vertx vertx;
  private final List<String> deployments = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();
  private final Map<Part, Integer> ports = new LinkedHashMap<>();

  private Services(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Where each started part listens. */
  public Map<Part, Integer> ports() {
    return Map.copyOf(ports);
  }

  public static Future<Services> start(Vertx vertx, SluiceConfig settings, Set<Part> parts) {
    Services s = new Services(vertx);
    StreamCatalog catalog = StreamCatalog.loadDefault();
    SchemaRegistry registry = SchemaRegistry.fromCatalog(catalog);
    Future<Void> chain = Future.succeededFuture();
    if (parts.contains(Part.GATEWAY)) {
      chain = chain.compose(v -> {
        GatewayVerticle gateway = new GatewayVerticle(settings.gateway(), catalog, registry, settings.kafka().clientConfig(),
            meters());
        return vertx.deployVerticle(gateway).map(id -> s.deployed(id, Part.GATEWAY, gateway.actualPort()));
      });
    }
    if (parts.contains(Part.CONSOLE) || parts.contains(Part.DEMO)) {
      DynamoDbClient dynamo = AwsClients.dynamo(settings.aws());
      SqsClient sqs = AwsClients.sqs(settings.aws());
      s.clients.add(dynamo);
      s.clients.add(sqs);
      if (parts.contains(Part.CONSOLE)) {
        chain = chain.compose(v -> {
          ConsoleVerticle console = new ConsoleVerticle(settings.console(),
              new QuarantineStore(vertx, dynamo, settings.aws().quarantineTable(), Clock.systemUTC()),
              new RedriveQueue(vertx, sqs, settings.aws().queuePrefix()), registry, meters());
          return vertx.deployVerticle(console).map(id -> s.deployed(id, Part.CONSOLE, console.actualPort()));
        });
      }
      if (parts.contains(Part.DEMO)) {
        chain = chain.compose(v -> {
          CatalogBuilderVerticle demo = new CatalogBuilderVerticle(settings.demo(), settings.demoWrapper(),
              settings.kafka().clientConfig(), catalog, registry, dynamo, sqs, settings.aws(), meters());
          return vertx.deployVerticle(demo).map(id -> s.deployed(id, Part.DEMO, demo.actualPort()));
        });
      }
    }
    return chain.map(v -> s).recover(err -> s.stop().transform(ignored -> Future.failedFuture(err)));
  }

  public static Set<Part> all() {
    return EnumSet.allOf(Part.class);
  }

  private Void deployed(String id, Part part, int port) {
    deployments.add(id);
    ports.put(part, port);
    return null;
  }

  private static PrometheusMeterRegistry meters() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** Undeploys in reverse order (the demo stops consuming before the gateway stops appending), then closes clients. */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain = chain.eventually(() -> vertx.undeploy(id));
    }
    return chain.eventually(() -> vertx.executeBlocking(() -> {
      for (AutoCloseable c : clients) {
        c.close();
      }
      return null;
    }));
  }
}
