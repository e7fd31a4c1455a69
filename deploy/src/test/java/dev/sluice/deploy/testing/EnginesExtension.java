package dev.sluice.deploy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.sluice.deploy.engine.DataDirs;
import dev.sluice.deploy.engine.EmbeddedEngines;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts Kafka, DynamoDB Local (in memory) and ElasticMQ once per test run, on free ports, and hands their addresses
 * to tests as an {@link Engines} parameter:
 *
 * <pre>{@code
 * @ExtendWith(EnginesExtension.class)
 * class SomethingIT {
 *     @Test
 *     void works(Engines engines) { ... engines.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * <p>The running engines live in the root context's store, so every test class of the run shares them, and JUnit
 * closes them (an {@link AutoCloseable} value, closed by JUnit 5.13+) when the whole run ends. Tests share the
 * engines, so each test uses its own topic, table and queue names.
 */
public final class EnginesExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EnginesExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Engines.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return engines(extensionContext);
    }

    /**
     * The engines of this test run, started on first use. Other extensions that build on the engines call this, so
     * their own root-store values go in after the engines' and are therefore closed before them.
     */
    public static Engines engines(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RunningEngines.class, key -> RunningEngines.start(), RunningEngines.class)
                .engines();
    }

    /** The engines of this test run and their temporary Kafka directory. */
    static final class RunningEngines implements AutoCloseable {
        private final EmbeddedEngines embedded;
        private final Path kafkaDir;
        private final Engines engines;

        private RunningEngines(EmbeddedEngines embedded, Path kafkaDir) {
            this.embedded = embedded;
            this.kafkaDir = kafkaDir;
            this.engines = new Engines(embedded.kafka().bootstrapServers(), embedded.dynamoDb().endpoint(),
                    embedded.sqs().endpoint(), kafkaDir);
        }

        static RunningEngines start() {
            Path kafkaDir;
            try {
                kafkaDir = Files.createTempDirectory("sluice-it-kafka");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int[] ports = FreePorts.pick(4);
            try {
                EmbeddedEngines embedded = EmbeddedEngines.start(
                        new EmbeddedEngines.Spec(kafkaDir, ports[0], ports[1], null, ports[2], ports[3]));
                return new RunningEngines(embedded, kafkaDir);
            } catch (RuntimeException e) {
                DataDirs.wipe(kafkaDir);
                throw e;
            }
        }

        Engines engines() {
            return engines;
        }

        @Override
        public void close() {
            try {
                embedded.close();
            } finally {
                DataDirs.wipe(kafkaDir);
            }
        }
    }
}
