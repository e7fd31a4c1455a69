package dev.sluice.deploy.testing;

import dev.sluice.deploy.Launcher;
import dev.sluice.deploy.Services;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.retry.BackoffPolicy;
import java.time.Duration;
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
      SluiceConfig config = SluiceConfig.from(RawConfig.of(Map.ofEntries(
          Map.entry("sluice.kafka.bootstrap.servers", engines.bootstrapServers()),
          Map.entry("sluice.dynamodb.endpoint", engines.dynamoEndpoint()),
          Map.entry("sluice.sqs.endpoint", engines.sqsEndpoint()),
          Map.entry("sluice.gateway.port", "0"),
          Map.entry("sluice.console.port", "0"),
          Map.entry("sluice.demo.port", "0"),
          Map.entry("sluice.demo.retry.max.attempts", Integer.toString(TEST_BACKOFF.maxAttempts())),
          Map.entry("sluice.demo.retry.initial.interval", TEST_BACKOFF.initialInterval().toMillis() + "ms"),
          Map.entry("sluice.demo.retry.max.interval", TEST_BACKOFF.maxInterval().toMillis() + "ms"),
          Map.entry("sluice.demo.retry.multiplier", Double.toString(TEST_BACKOFF.multiplier())),
          Map.entry("sluice.demo.handler.timeout", "5s"),
          Map.entry("sluice.demo.redrive.resend.after", "2s"))));
      Launcher launcher = Launcher.start(config, Services.all());
      Map<Services.Part, Integer> ports = launcher.ports();
      DynamoDbClient dynamo = AwsClients.dynamo(config.aws());
      Stack stack = new Stack(engines,
          "http://127.0.0.1:" + ports.get(Services.Part.GATEWAY),
          "http://127.0.0.1:" + ports.get(Services.Part.CONSOLE),
          "http://127.0.0.1:" + ports.get(Services.Part.DEMO),
          config.kafka().clientConfig(), dynamo, config.aws().quarantineTable(), config.demo().group());
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
