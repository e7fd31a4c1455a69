package dev.sluice.deploy.engine;

import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ElasticMQ (the SQS API) inside this JVM, on 127.0.0.1. Queues and messages live in memory. */
public final class EmbeddedSqs extends EngineOnPort {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSqs.class);
    private static final String ENGINE = "ElasticMQ";

    private final SQSRestServer server;

    private EmbeddedSqs(SQSRestServer server, int port) {
        super(ENGINE, port);
        this.server = server;
    }

    public static EmbeddedSqs start(int port) {
        Ports.requireValid(ENGINE, "port", port);
        Ports.requireFree(ENGINE, port);
        SQSRestServer server;
        try {
            server = SQSRestServerBuilder.withInterface(Ports.HOST)
                    .withPort(port)
                    // Queue URLs handed to clients must name the address the server really listens on.
                    .withServerAddress(new NodeAddress("http", Ports.HOST, port, ""))
                    .start();
        } catch (Exception e) {
            throw new EngineStartException(ENGINE + " on port " + port + " did not start: " + e, e);
        }
        try {
            server.waitUntilStarted();
        } catch (Exception e) {
            // The actor system is already running: stop it, or its threads keep the JVM alive.
            try {
                server.stopAndWait();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new EngineStartException(ENGINE + " on port " + port + " did not start: " + e, e);
        }
        LOG.info("ElasticMQ listening on {}:{}", Ports.HOST, port);
        return new EmbeddedSqs(server, port);
    }

    public String endpoint() {
        return httpEndpoint();
    }

    @Override
    protected void stop() {
        server.stopAndWait();
    }
}
