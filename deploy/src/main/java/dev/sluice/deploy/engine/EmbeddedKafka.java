package dev.sluice.deploy.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Kafka (KRaft, broker and controller in one) running inside this JVM, bound to 127.0.0.1.
 *
 * <p>Data lives under {@code dataDir}: the log directory in {@code dataDir/log} and the cluster id in
 * {@code dataDir/cluster.id}. The storage is formatted only the first time, so topics and committed offsets survive
 * a restart on the same directory.
 */
public final class EmbeddedKafka extends EngineOnPort {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String ENGINE = "Kafka";
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration PORT_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaRaftServer server;

    private EmbeddedKafka(KafkaRaftServer server, int port) {
        super(ENGINE, port);
        this.server = server;
    }

    public static EmbeddedKafka start(Path dataDir, int port, int controllerPort) {
        return start(dataDir, port, controllerPort, Map.of());
    }

    /**
     * @param brokerOverrides broker properties that replace or extend the defaults below (e.g. from
     *                        {@code sluice.dev.kafka.broker.*})
     */
    public static EmbeddedKafka start(Path dataDir, int port, int controllerPort, Map<String, String> brokerOverrides) {
        // KRaft controller voters need a concrete port, so port 0 ("any free port") cannot work here.
        Ports.requireValid(ENGINE, "port", port);
        Ports.requireValid(ENGINE, "controller port", controllerPort);
        if (port == controllerPort) {
            throw new EngineStartException(ENGINE + ": port and controller port are both " + port);
        }
        Ports.requireFree(ENGINE, port);
        Ports.requireFree(ENGINE, controllerPort);

        Path logDir = dataDir.resolve("log").toAbsolutePath();
        Properties props = brokerProperties(logDir, port, controllerPort);
        brokerOverrides.forEach(props::setProperty);
        KafkaRaftServer server;
        try {
            Files.createDirectories(logDir);
            formatIfNeeded(dataDir, logDir);
            server = new KafkaRaftServer(kafka.server.KafkaConfig.fromProps(props, false), Time.SYSTEM);
        } catch (Exception e) {
            throw new EngineStartException(ENGINE + " on port " + port + " could not prepare " + dataDir + ": " + e, e);
        }
        try {
            // startup() returns once the broker is registered and unfenced: it can serve clients then.
            server.startup();
            Ports.awaitListening(ENGINE, port, PORT_TIMEOUT);
        } catch (Exception e) {
            stopQuietly(server);
            throw new EngineStartException(ENGINE + " on port " + port + " did not start: " + e, e);
        }
        LOG.info("Kafka broker listening on {}:{} (controller {}), data in {}", Ports.HOST, port, controllerPort, dataDir);
        return new EmbeddedKafka(server, port);
    }

    static Properties brokerProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(NODE_ID));
        p.setProperty("controller.quorum.voters", NODE_ID + "@" + Ports.HOST + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + Ports.HOST + ":" + port + "," + CONTROLLER_LISTENER + "://"
                + Ports.HOST + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + Ports.HOST + ":" + port);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("metadata.log.dir", logDir.toString());
        // One node: every internal topic must be satisfiable with a single replica.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        // Consumers join a group at once instead of waiting 3 s for more members (1.1 s vs 5.6 s in tests).
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Topics are provisioned explicitly (3 partitions for retail); a typo must not create a 1-partition topic.
        p.setProperty("auto.create.topics.enable", "false");
        // The cleaner's default 128 MB dedupe buffer is sized for production; a dev broker needs a few MB.
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        return p;
    }

    private static void formatIfNeeded(Path dataDir, Path logDir) throws Exception {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        String clusterId = clusterId(dataDir);
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
                .setNodeId(NODE_ID)
                .setClusterId(clusterId)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(logDir.toString())
                .setDirectories(List.of(logDir.toString()))
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
        LOG.info("Formatted Kafka storage in {} (cluster id {})", logDir, clusterId);
    }

    /** The cluster id is kept beside the logs so that re-formatting an emptied log dir keeps the same identity. */
    private static String clusterId(Path dataDir) throws IOException {
        Path file = dataDir.resolve("cluster.id");
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
        return id;
    }

    public String bootstrapServers() {
        return Ports.HOST + ":" + port();
    }

    @Override
    protected void stop() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.debug("Ignoring failure while stopping a broker that failed to start", e);
        }
    }
}
