package dev.sluice.deploy;

import dev.sluice.deploy.config.EngineConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.engine.DataDirs;
import dev.sluice.deploy.engine.EmbeddedEngines;
import dev.sluice.deploy.engine.Endpoint;
import dev.sluice.deploy.engine.EngineStartException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything {@code ./sluice dev} runs in one JVM. {@link #start} brings the parts up in dependency order and
 * {@link #close()} stops them in exactly the reverse order, so that applications stop (and commit, and flush) while
 * the engines they talk to are still there.
 */
public final class DevStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);

    /** Started parts, most recent first: close() pops from the head. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private EmbeddedEngines engines;

    private DevStack() {
    }

    /**
     * @param fresh wipe {@code <sluice.dev.dir>/data} first
     * @throws EngineStartException (or another runtime exception) after stopping whatever had already started
     */
    public static DevStack start(SluiceConfig config, boolean fresh) {
        EngineConfig e = config.engines();
        if (fresh) {
            DataDirs.wipe(e.dataDir());
        }
        DevStack stack = new DevStack();
        try {
            // 1. The engines, in parallel; they stop last.
            stack.engines = stack.track(EmbeddedEngines.start(new EmbeddedEngines.Spec(
                    e.kafkaDataDir(), e.kafkaPort(), e.kafkaControllerPort(),
                    e.dynamoDbDataDir(), e.dynamoDbPort(), e.sqsPort())));
            stack.endpoints.addAll(List.of(
                    new Endpoint("kafka", stack.engines.kafka().bootstrapServers(), "data " + e.kafkaDataDir()),
                    new Endpoint("dynamodb", stack.engines.dynamoDb().endpoint(), "data " + e.dynamoDbDataDir()),
                    new Endpoint("sqs", stack.engines.sqs().endpoint(), "in memory")));

            // 2. Provision topics and tables (idempotently), then start the gateway, console and demo; tracked
            //    last, so close() undeploys them (the demo commits its offsets) before the engines stop.
            Launcher parts = stack.track(Launcher.start(config, Services.all()));
            stack.endpoints.addAll(parts.endpoints());

            return stack;
        } catch (RuntimeException failure) {
            stack.closeAfterFailure(failure);
            throw failure;
        }
    }

    /** Registers a started part; it will be closed before everything registered earlier. */
    public <T extends AutoCloseable> T track(T part) {
        started.push(part);
        return part;
    }

    public EmbeddedEngines engines() {
        return engines;
    }

    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    @Override
    public void close() {
        IllegalStateException failure = new IllegalStateException("The dev stack did not stop cleanly");
        closeAll(failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private void closeAfterFailure(RuntimeException failure) {
        closeAll(failure);
    }

    private void closeAll(Throwable failure) {
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed", part.getClass().getSimpleName(), e);
                failure.addSuppressed(e);
            }
        }
    }
}
