package dev.sluice.loadtests.ingest;

import dev.sluice.deploy.Launcher;
import dev.sluice.deploy.Services;
import dev.sluice.deploy.config.Part;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import java.io.IOException;
import java.net.URL;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A gateway started exactly as {@code ./sluice gateway} starts one (config map, {@link Launcher}, its own Vert.x), on
 * the benchmark's broker and a free port.
 *
 * <p>Validation off, for figure (d), without touching gateway code: the gateway has no switch to skip validation, so
 * the permissive variant is the same gateway whose bootstrap schema for {@code retail.product.created} is
 * {@code {}} (draft-07: anything goes). It is served by a class loader set as the thread context class loader while
 * the launcher starts, the loader through which the catalog and the bootstrap schema files are read. Everything else,
 * JSON parsing of {@code data} and the partition key lookup included, is the same; the difference between the two is
 * the cost of checking the schema. The benchmark verifies the effect before measuring: an event without the required
 * {@code brand} must be refused by the validating gateway and accepted by the permissive one.
 */
final class GatewayUnderTest implements AutoCloseable {
  static final String SCHEMA_RESOURCE = "sluice/schemas/" + ProductEvents.TYPE + ".json";
  static final String PERMISSIVE_SCHEMA = "dev/sluice/loadtests/ingest/permissive-schema.json";

  private final Launcher launcher;
  private final int port;
  private final int instances;
  private final Map<String, String> kafkaClientProps;

  private GatewayUnderTest(Launcher launcher, int port, int instances, Map<String, String> kafkaClientProps) {
    this.launcher = launcher;
    this.port = port;
    this.instances = instances;
    this.kafkaClientProps = Map.copyOf(kafkaClientProps);
  }

  /**
   * @param extraConfig more {@code sluice.*} keys (e.g. API keys or rate limits of a newer gateway); they win
   */
  static GatewayUnderTest start(String bootstrapServers, boolean validating, Map<String, String> extraConfig) {
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("sluice.kafka.bootstrap.servers", bootstrapServers);
    raw.put("sluice.gateway.host", "127.0.0.1");
    // A fixed free port rather than 0: the gateway deploys one instance per core only on a fixed port.
    raw.put("sluice.gateway.port", Integer.toString(freePort()));
    // No DynamoDB here: rejects are not kept (the benchmark's events are valid anyway).
    raw.put("sluice.gateway.rejects.capture.streams", "none");
    // Nor a key ring: the product events it posts mark nothing, so none is sealed and no key table is needed.
    raw.put("sluice.crypto.kek", "none");
    // Nor producer reports to a table. Each append is still counted per (stream, key) as in production; only the
    // report every 15 s, off the request path, is not written.
    raw.put("sluice.producers.table", "none");
    if (!validating) {
      // Its own registry topic, bootstrapped from the permissive schema below, so the two gateways differ only in
      // what the schema checks.
      raw.put("sluice.registry.topic", "_sluice_registry_permissive");
    }
    raw.putAll(extraConfig);
    SluiceConfig config = SluiceConfig.from(RawConfig.of(raw));
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    if (!validating) {
      thread.setContextClassLoader(new PermissiveSchemaLoader(previous));
    }
    try {
      Launcher launcher = Launcher.start(config, EnumSet.of(Part.GATEWAY));
      return new GatewayUnderTest(launcher, launcher.ports().get(Part.GATEWAY), config.gateway().instances(),
          config.kafka().clientConfig());
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  int port() {
    return port;
  }

  /** Its verticle instances (one per core by default), each with its own event loop and Kafka producer. */
  int instances() {
    return instances;
  }

  /** The Kafka client properties its producers are made from ({@code sluice.kafka.*}, bootstrap servers included). */
  Map<String, String> kafkaClientProps() {
    return kafkaClientProps;
  }

  @Override
  public void close() throws Exception {
    launcher.close();
  }

  /** Serves {@code {}} as the schema of {@code retail.product.created}; everything else from its parent. */
  static final class PermissiveSchemaLoader extends ClassLoader {
    PermissiveSchemaLoader(ClassLoader parent) {
      super(parent);
    }

    @Override
    public URL getResource(String name) {
      if (SCHEMA_RESOURCE.equals(name)) {
        return getParent().getResource(PERMISSIVE_SCHEMA);
      }
      return super.getResource(name);
    }

    @Override
    public java.util.Enumeration<URL> getResources(String name) throws IOException {
      if (SCHEMA_RESOURCE.equals(name)) {
        return java.util.Collections.enumeration(java.util.List.of(getParent().getResource(PERMISSIVE_SCHEMA)));
      }
      return super.getResources(name);
    }
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
