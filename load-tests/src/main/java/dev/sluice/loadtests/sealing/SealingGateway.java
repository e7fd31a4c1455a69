package dev.sluice.loadtests.sealing;

import dev.sluice.crypto.CryptoSettings;
import dev.sluice.deploy.Launcher;
import dev.sluice.deploy.config.Part;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.loadtests.harness.EmbeddedStack;
import dev.sluice.loadtests.harness.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway under test, started exactly as {@code ./sluice gateway} starts one (config map, {@link Launcher}, its
 * own Vert.x) on the suite's broker and DynamoDB Local, with a key ring: the key table there (made by the launcher's
 * provisioning, as in {@code ./sluice dev}) and a local KEK file in the suite's temporary directory, made on first
 * start. Its types are then registered over its own registry API with the dev admin key, as an admin would.
 *
 * <p>Two cache settings differ from the defaults, and the report says so: unwrapped subject keys live
 * {@link #KEY_TTL} instead of 5 minutes, so the keys made before timing stay warm for the whole suite, and up to
 * {@link #KEY_CACHE_MAX} of them are kept instead of 20,000, so the new subjects of the cold runs never push a warm
 * one out.
 */
final class SealingGateway implements AutoCloseable {
  static final Duration KEY_TTL = Duration.ofMinutes(30);
  static final long KEY_CACHE_MAX = 200_000;

  private final Launcher launcher;
  private final int port;
  private final int instances;
  private final CryptoSettings crypto;

  private SealingGateway(Launcher launcher, int port, int instances, CryptoSettings crypto) {
    this.launcher = launcher;
    this.port = port;
    this.instances = instances;
    this.crypto = crypto;
  }

  static SealingGateway start(EmbeddedStack stack, Path kekFile) throws IOException {
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("sluice.kafka.bootstrap.servers", stack.bootstrap());
    raw.put("sluice.dynamodb.endpoint", stack.dynamoEndpoint());
    raw.put("sluice.sqs.endpoint", stack.sqsEndpoint());
    raw.put("sluice.gateway.host", "127.0.0.1");
    // A fixed free port rather than 0: the gateway deploys one instance per core only on a fixed port.
    raw.put("sluice.gateway.port", Integer.toString(LoopbackPorts.free(1)[0]));
    // The events are valid: no reject is kept, as in the ingest suite.
    raw.put("sluice.gateway.rejects.capture.streams", "none");
    raw.put("sluice.crypto.kek", "local:" + kekFile);
    raw.put("sluice.crypto.dek.cache.ttl", KEY_TTL.toMinutes() + "m");
    raw.put("sluice.crypto.dek.cache.max", Long.toString(KEY_CACHE_MAX));
    SluiceConfig config = SluiceConfig.from(RawConfig.of(raw));
    Launcher launcher = Launcher.start(config, EnumSet.of(Part.GATEWAY));
    return new SealingGateway(launcher, launcher.ports().get(Part.GATEWAY), config.gateway().instances(),
        config.crypto().orElseThrow());
  }

  int port() {
    return port;
  }

  /** Its verticle instances (one per core by default), each with its own event loop and Kafka producer. */
  int instances() {
    return instances;
  }

  /** Its key table, KEK and caches: another process with these settings shares its keys (its own cache apart). */
  CryptoSettings crypto() {
    return crypto;
  }

  /**
   * Registers both types' schemas and the stream carrying them ({@code POST /v1/schemas/{type}/versions}, then
   * {@code PUT /v1/streams/{stream}}, which creates its topic before answering).
   *
   * @throws IllegalStateException when the gateway refuses one of them
   */
  void register(String stream) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    for (String type : List.of(CustomerTypes.SEALED, CustomerTypes.PLAIN)) {
      call(http, "POST", "/v1/schemas/" + type + "/versions", CustomerTypes.schema(type));
    }
    call(http, "PUT", "/v1/streams/" + stream,
        CustomerTypes.stream(stream, List.of(CustomerTypes.SEALED, CustomerTypes.PLAIN)).encode());
  }

  private void call(HttpClient http, String method, String path, String body) throws IOException,
      InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + SealingOptions.ADMIN_KEY)
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + ": "
          + answer.body());
    }
  }

  @Override
  public void close() throws Exception {
    launcher.close();
  }
}
