package dev.sluice.deploy.testing;

import dev.sluice.deploy.Launcher;
import dev.sluice.deploy.Services;
import dev.sluice.deploy.config.Part;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.retry.BackoffPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Starts the gateway, the console and the demo consumer once per test run, on the engines of
 * {@link EnginesExtension}, through the same config loading and launcher as {@code ./sluice dev}, with free ports and
 * a short retry policy ({@link #TEST_BACKOFF}) so that tests reach the quarantine in well under a second. Held in the
 * JUnit root store and closed when the run ends (before the engines, which were stored first).
 */
public final class StackExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StackExtension.class);
  public static final BackoffPolicy TEST_BACKOFF =
      new BackoffPolicy(Duration.ofMillis(50), 2.0, Duration.ofMillis(200), 3);

  /** Delayed retries after the in-place round, in the test stack. */
  public static final int TEST_DELAYED_RETRIES = 2;

  /** The token of a key that may post only to stream {@code orders}. */
  public static final String ORDERS_ONLY_KEY = "it-orders-only-key-0001";
  static final String ORDERS_ONLY_KEY_SHA256 = "50ec235c3a38f0df347765a9e9104ed1c3d181b8307fab4f3341447877c4e3cb";
  /** The token of a key limited to a burst of 2 requests, then one every 5 s. */
  public static final String SLOW_KEY = "it-slow-key-0000000001";
  static final String SLOW_KEY_SHA256 = "05feefcf7714699e3c4923ef04d3daba4a592a0301e972ea7f21e782bf60a0ea";
  /** The token of a key named {@code loader} that may post to every stream: a name that is not its token. */
  public static final String LOADER_KEY = "it-loader-key-0000000001";
  public static final String LOADER_KEY_SHA256 = "3ef2bd2beeabdcc989ee80ea71d92951b6a93e6ae1951e7c072dcc276d025c8b";

  /**
   * The test stack's settings, besides where the engines are and the KEK: every part on a free port, the console's
   * dev users, short retry policies and the extra API keys. An IT that runs a stack of its own (e.g. on engines that
   * keep their files) starts from these, so that it behaves as this one does.
   */
  public static Map<String, String> settings() {
    return Map.ofEntries(
        Map.entry("sluice.gateway.port", "0"),
        Map.entry("sluice.console.port", "0"),
        // The console's documented dev users and tokens, as in ./sluice dev (Http.operator(), Browser.signIn).
        Map.entry("sluice.console.dev.users", "true"),
        Map.entry("sluice.demo.port", "0"),
        // The demo's fixed handler: tests of the gateway and console look at photos with their photographer's name.
        // ./sluice dev runs v1, whose bug docs/replay.md repairs (BlueGreenIT runs both).
        Map.entry("sluice.demo.version", "2"),
        Map.entry("sluice.demo.retry.max.attempts", Integer.toString(TEST_BACKOFF.maxAttempts())),
        Map.entry("sluice.demo.retry.initial.interval", TEST_BACKOFF.initialInterval().toMillis() + "ms"),
        Map.entry("sluice.demo.retry.max.interval", TEST_BACKOFF.maxInterval().toMillis() + "ms"),
        Map.entry("sluice.demo.retry.multiplier", Double.toString(TEST_BACKOFF.multiplier())),
        Map.entry("sluice.demo.handler.timeout", "5s"),
        Map.entry("sluice.demo.redrive.resend.after", "2s"),
        Map.entry("sluice.groups.heartbeat.interval", "1s"),
        Map.entry("sluice.groups.alive.for", "5s"),
        // The delayed tier: two retries 1 s apart, so a retryable failure is RETRYING, then exhausted, within ~5 s.
        Map.entry("sluice.demo.delayed.max.retries", Integer.toString(TEST_DELAYED_RETRIES)),
        Map.entry("sluice.demo.delayed.initial.interval", "1s"),
        Map.entry("sluice.demo.delayed.max.interval", "1s"),
        Map.entry("sluice.demo.delayed.wait", "1s"),
        Map.entry("sluice.demo.lane.refresh.interval", "500ms"),
        // Three keys besides the dev keys, given (like every key) only as SHA-256 hashes of their tokens: one that
        // may post only to another stream, and one with a tiny rate, for the 403 and 429 tests, and one whose name is
        // not its token, for the catalog's producers.
        Map.entry("sluice.gateway.keys.orders-only.sha256", ORDERS_ONLY_KEY_SHA256),
        Map.entry("sluice.gateway.keys.orders-only.streams", "orders"),
        Map.entry("sluice.gateway.keys.slow.sha256", SLOW_KEY_SHA256),
        Map.entry("sluice.gateway.keys.slow.streams", "*"),
        Map.entry("sluice.gateway.keys.slow.rate.per.second", "0.2"),
        Map.entry("sluice.gateway.keys.slow.burst", "2"),
        Map.entry("sluice.gateway.keys.loader.sha256", LOADER_KEY_SHA256),
        Map.entry("sluice.gateway.keys.loader.streams", "*"),
        // The gateway reports what each key appended every second, so the catalog's "producers seen" fills quickly.
        Map.entry("sluice.producers.report.interval", "1s"));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == Stack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Engines engines = EnginesExtension.engines(extensionContext);
    return extensionContext.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(RunningStack.class, key -> RunningStack.start(engines), RunningStack.class)
        .stack();
  }

  static final class RunningStack implements AutoCloseable {
    private final Launcher launcher;
    private final Stack stack;

    private RunningStack(Launcher launcher, Stack stack) {
      this.launcher = launcher;
      this.stack = stack;
    }

    static RunningStack start(Engines engines) {
      Path kekDir;
      try {
        kekDir = Files.createTempDirectory("sluice-it-kek");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Map<String, String> settings = new HashMap<>(settings());
      // The key-encryption key, made on first start as ./sluice dev makes it, but outside the source tree.
      settings.put("sluice.crypto.kek", "local:" + kekDir.resolve("kek.json"));
      settings.put("sluice.kafka.bootstrap.servers", engines.bootstrapServers());
      settings.put("sluice.dynamodb.endpoint", engines.dynamoEndpoint());
      settings.put("sluice.sqs.endpoint", engines.sqsEndpoint());
      SluiceConfig config = SluiceConfig.from(RawConfig.of(settings));
      Launcher launcher = Launcher.start(config, Services.all());
      Map<Part, Integer> ports = launcher.ports();
      DynamoDbClient dynamo = AwsClients.dynamo(config.aws());
      Stack stack = new Stack(engines,
          "http://127.0.0.1:" + ports.get(Part.GATEWAY),
          "http://127.0.0.1:" + ports.get(Part.CONSOLE),
          "http://127.0.0.1:" + ports.get(Part.DEMO),
          config.kafka().clientConfig(), dynamo, config.aws().quarantineTable(), config.demo().group(),
          config.storms().table(), config.groups().table(), config.crypto().orElseThrow());
      return new RunningStack(launcher, stack);
    }

    Stack stack() {
      return stack;
    }

    @Override
    public void close() throws Exception {
      try {
        launcher.close();
      } finally {
        stack.dynamo().close();
      }
    }
  }
}
