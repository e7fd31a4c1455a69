package dev.sluice.loadtests.ingest;

import dev.sluice.deploy.Launcher;
import dev.sluice.deploy.Services;
import dev.sluice.deploy.config.Part;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.schemas.catalog.StreamCatalog;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A gateway started exactly as {@code ./sluice gateway} starts one (config map, {@link Launcher}, its own Vert.x), on
 * the benchmark's broker and a free port.
 *
 * <p>Validation off, for figure (d), without touching gateway code and on the same gateway: the gateway has no switch
 * to skip validation, so its catalog gains one type, {@value #UNCHECKED_TYPE}, a twin of
 * {@code retail.product.created} on the same stream with the same partition key ({@code /id}), whose bootstrap schema
 * is {@code {}} (draft-07: anything goes). The catalog and that schema are served by a class loader set as the thread
 * context class loader while the launcher starts, the loader through which both are read. A twin event goes through
 * the very path a real one does (parsing, admission, JSON parsing of {@code data}, the partition key lookup, the same
 * producer, topic and event loops); only the schema it is checked against differs, so the difference between the two
 * is the cost of checking the schema. Measuring both on one gateway keeps apart what two gateways would add: two
 * sets of verticles and producers, each warmed and placed on the cores its own way. The benchmark verifies the effect
 * before measuring: an event without the required {@code brand} must be refused as {@code retail.product.created}
 * and accepted as the twin.
 */
final class GatewayUnderTest implements AutoCloseable {
  /**
   * The twin of {@value ProductEvents#TYPE} whose schema checks nothing; as long a name, so that its events are as
   * long ({@link ProductEvents#twin}).
   */
  static final String UNCHECKED_TYPE = "retail.product.nocheck";
  static final String UNCHECKED_SCHEMA_FILE = UNCHECKED_TYPE + ".json";
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
  static GatewayUnderTest start(String bootstrapServers, Map<String, String> extraConfig) {
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
    raw.putAll(extraConfig);
    SluiceConfig config = SluiceConfig.from(RawConfig.of(raw));
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(new UncheckedTwinLoader(previous));
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

  /**
   * Serves the catalog with {@value #UNCHECKED_TYPE} added to {@value ProductEvents#STREAM}, and {@code {}} as that
   * type's schema; everything else, {@code retail.product.created}'s real schema included, from its parent. Both are
   * read with {@link ClassLoader#getResourceAsStream}, which is what this overrides.
   */
  static final class UncheckedTwinLoader extends ClassLoader {
    UncheckedTwinLoader(ClassLoader parent) {
      super(parent);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      if (StreamCatalog.DEFAULT_RESOURCE.equals(name)) {
        return new ByteArrayInputStream(catalogWithTwin().getBytes(StandardCharsets.UTF_8));
      }
      if (("sluice/schemas/" + UNCHECKED_SCHEMA_FILE).equals(name)) {
        return getParent().getResourceAsStream(PERMISSIVE_SCHEMA);
      }
      return super.getResourceAsStream(name);
    }

    private String catalogWithTwin() {
      JsonObject catalog;
      try (InputStream in = getParent().getResourceAsStream(StreamCatalog.DEFAULT_RESOURCE)) {
        catalog = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      JsonObject stream = catalog.getJsonArray("streams").stream().map(JsonObject.class::cast)
          .filter(s -> ProductEvents.STREAM.equals(s.getString("name"))).findFirst()
          .orElseThrow(() -> new IllegalStateException("the catalog has no stream " + ProductEvents.STREAM));
      stream.getJsonArray("types").add(new JsonObject().put("type", UNCHECKED_TYPE).put("partitionKey", "/id")
          .put("schema", UNCHECKED_SCHEMA_FILE));
      return catalog.encode();
    }
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
