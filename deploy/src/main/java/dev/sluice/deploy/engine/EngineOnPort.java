package dev.sluice.deploy.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An engine running inside this JVM and listening on one loopback port: what every embedded engine shares. Closing it
 * stops it once; a second close does nothing, because a shutdown hook and a failed start may both try.
 */
public abstract class EngineOnPort implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineOnPort.class);

    private final String name;
    private final int port;
    private boolean closed;

    protected EngineOnPort(String name, int port) {
        this.name = name;
        this.port = port;
    }

    public int port() {
        return port;
    }

    /** Its HTTP endpoint on the loopback address (for the engines that speak HTTP). */
    protected String httpEndpoint() {
        return "http://" + Ports.HOST + ":" + port;
    }

    /** Stops the engine and waits until it has stopped. Called once. */
    protected abstract void stop() throws Exception;

    @Override
    public final synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } catch (Exception e) {
            throw new IllegalStateException(name + " on port " + port + " did not stop cleanly: " + e, e);
        }
        LOG.info("{} on port {} stopped", name, port);
    }
}
