package dev.sluice.deploy;

import dev.sluice.deploy.config.Part;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.engine.Endpoint;
import dev.sluice.deploy.provision.Provisioner;
import dev.sluice.deploy.provision.TopicProvisioner;
import dev.sluice.schemas.registry.log.RegistryLog;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  public static Launcher start(SluiceConfig config, Set<Part> parts) {
    // Every part reads streams and schemas from the registry log: the gateway validates with it, the console checks
    // fixes with it, the consumer triages with it. Read to its end before anything is deployed, so no part ever
    // works with a registry older than what was already acknowledged. The same provisioning path as `sluice init`,
    // limited to what these parts need.
    // Start-up creates what is missing and leaves existing resources as they are: changing them is `sluice init`'s job.
    RegistryLog registryLog =
        TopicProvisioner.startRegistry(config, Provisioner.Existing.LEAVE, step -> LOG.info(step.line()));
    try {
      Provisioner.provision(config, Provisioner.neededBy(config, parts), Provisioner.Existing.LEAVE,
          registryLog.registry().catalog(), step -> LOG.info(step.line()));
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

  public Map<Part, Integer> ports() {
    return services.ports();
  }

  public List<Endpoint> endpoints() {
    return endpoints;
  }

  private static List<Endpoint> describe(SluiceConfig config, Map<Part, Integer> ports) {
    List<Endpoint> out = new ArrayList<>();
    Integer gateway = ports.get(Part.GATEWAY);
    if (gateway != null) {
      out.add(new Endpoint("gateway", "http://" + config.gateway().host() + ":" + gateway,
          "POST /v1/streams/{stream}/events, /v1/schemas, /v1/streams, /openapi.json, /metrics"));
    }
    Integer console = ports.get(Part.CONSOLE);
    if (console != null) {
      out.add(new Endpoint("console", "http://" + config.console().host() + ":" + console,
          "redrive console (web page) and /api/v1/quarantine"));
    }
    Integer demo = ports.get(Part.DEMO);
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
