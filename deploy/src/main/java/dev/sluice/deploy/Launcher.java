package dev.sluice.deploy;

import dev.sluice.deploy.config.IngressSettings;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.gateway.dedup.DynamoIdempotencyStore;
import dev.sluice.quarantine.groups.GroupRegistry;
import dev.sluice.schemas.registry.log.RegistryLog;
import dev.sluice.schemas.registry.log.RegistryLogConfig;
import dev.sluice.deploy.engine.Endpoint;
import dev.sluice.deploy.provision.Provisioner;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.schemas.catalog.StreamCatalog;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Starts Sluice's parts from the launcher's main thread: provisions what they need (blocking, before any event loop
 * exists), then deploys them into a fresh Vert.x and waits for them. Closing undeploys them, then closes Vert.x.
 */
public final class Launcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);
  private static final long START_TIMEOUT_SECONDS = 120;

  private final Vertx vertx;
  private final Services services;
  private final RegistryLog registryLog;
  private final List<Endpoint> endpoints;

  private Launcher(Vertx vertx, Services services, RegistryLog registryLog, List<Endpoint> endpoints) {
    this.vertx = vertx;
    this.services = services;
    this.registryLog = registryLog;
    this.endpoints = endpoints;
  }

  public static Launcher start(SluiceConfig config, Set<Services.Part> parts) {
    Map<String, String> kafka = config.kafka().clientConfig();
    // Every part reads streams and schemas from the registry log: the gateway validates with it, the console checks
    // fixes with it, the consumer triages with it. Read to its end before anything is deployed, so no part ever
    // works with a registry older than what was already acknowledged.
    RegistryLog registryLog = startRegistry(config, kafka);
    try {
      if (parts.contains(Services.Part.GATEWAY) || parts.contains(Services.Part.DEMO)) {
        Provisioner.ensureTopics(kafka, config.topicReplicationFactor(), registryLog.registry().catalog(), LOG::info);
      }
      boolean captures = parts.contains(Services.Part.GATEWAY) && !config.ingress().capture().streams().isEmpty();
      boolean dynamoDedup = parts.contains(Services.Part.GATEWAY)
          && config.ingress().dedup().store() == IngressSettings.DedupStore.DYNAMODB;
      if (captures || dynamoDedup || parts.contains(Services.Part.CONSOLE) || parts.contains(Services.Part.DEMO)) {
        try (DynamoDbClient dynamo = AwsClients.dynamo(config.aws())) {
          Provisioner.ensureQuarantineTable(dynamo, config.aws().quarantineTable(), LOG::info);
          if (parts.contains(Services.Part.CONSOLE) || parts.contains(Services.Part.DEMO)) {
            GroupRegistry.ensureTable(dynamo, config.groups().table());
          }
          if (parts.contains(Services.Part.CONSOLE)) {
            Provisioner.ensureAuditTable(dynamo, config.console().auditTable(), LOG::info);
          }
          if (dynamoDedup) {
            DynamoIdempotencyStore.ensureTable(dynamo, config.ingress().dedup().table());
          }
          if (parts.contains(Services.Part.DEMO)) {
            Provisioner.ensureDemoTable(dynamo, config.demo().catalogTable(), LOG::info);
          }
        }
      }
    } catch (RuntimeException e) {
      registryLog.close();
      throw e;
    }
    Vertx vertx = Vertx.vertx();
    try {
      Services services = Services.start(vertx, config, parts, registryLog)
          .toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return new Launcher(vertx, services, registryLog, describe(config, services.ports()));
    } catch (Exception e) {
      vertx.close();
      registryLog.close();
      throw new IllegalStateException("Sluice " + parts + " did not start: " + rootMessage(e), e);
    }
  }

  private static RegistryLog startRegistry(SluiceConfig config, Map<String, String> kafka) {
    IngressSettings.Registry r = config.ingress().registry();
    RegistryLog log = new RegistryLog(
        new RegistryLogConfig(r.topic(), config.topicReplicationFactor(), r.writeTimeout(), r.startTimeout()), kafka);
    try {
      log.start(StreamCatalog.loadDefault());
      return log;
    } catch (RuntimeException e) {
      log.close();
      throw new IllegalStateException("the schema registry did not start: " + rootMessage(e), e);
    }
  }

  public Map<Services.Part, Integer> ports() {
    return services.ports();
  }

  public List<Endpoint> endpoints() {
    return endpoints;
  }

  private static List<Endpoint> describe(SluiceConfig config, Map<Services.Part, Integer> ports) {
    List<Endpoint> out = new ArrayList<>();
    Integer gateway = ports.get(Services.Part.GATEWAY);
    if (gateway != null) {
      out.add(new Endpoint("gateway", "http://" + config.gateway().host() + ":" + gateway,
          "POST /v1/streams/{stream}/events, /v1/schemas, /v1/streams, /openapi.json, /metrics"));
    }
    Integer console = ports.get(Services.Part.CONSOLE);
    if (console != null) {
      out.add(new Endpoint("console", "http://" + config.console().host() + ":" + console,
          "redrive console (web page, sign in at /login) and /api/v1/quarantine"));
    }
    Integer demo = ports.get(Services.Part.DEMO);
    if (demo != null) {
      out.add(new Endpoint("catalog-builder", "http://" + config.demo().host() + ":" + demo,
          "demo consumer (group " + config.demo().group() + "): GET /products/{id}"));
    }
    return out;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  @Override
  public void close() throws Exception {
    try {
      services.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } finally {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } finally {
        registryLog.close();
      }
    }
  }
}
