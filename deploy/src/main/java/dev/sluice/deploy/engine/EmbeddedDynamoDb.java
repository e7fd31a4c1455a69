package dev.sluice.deploy.engine;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import org.eclipse.jetty.server.AbstractNetworkConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DynamoDB Local as an HTTP server inside this JVM, on 127.0.0.1. {@code -sharedDb} makes tables visible whatever
 * the credentials and region a client uses.
 *
 * <p>Note: DynamoDB Local leaves a non-daemon thread behind after {@link #close()}, so a process that used it must
 * end with {@code System.exit}.
 */
public final class EmbeddedDynamoDb extends EngineOnPort {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDynamoDb.class);
    private static final String ENGINE = "DynamoDB Local";

    private final DynamoDBProxyServer server;

    private EmbeddedDynamoDb(DynamoDBProxyServer server, int port) {
        super(ENGINE, port);
        this.server = server;
    }

    /** Keeps its tables in {@code dbPath} (created if needed), so a restart keeps them. */
    public static EmbeddedDynamoDb startPersistent(Path dbPath, int port) {
        try {
            Files.createDirectories(dbPath);
        } catch (Exception e) {
            throw new EngineStartException(ENGINE + " on port " + port + ": cannot create " + dbPath + ": " + e, e);
        }
        return start(port, List.of("-dbPath", dbPath.toAbsolutePath().toString()));
    }

    public static EmbeddedDynamoDb startInMemory(int port) {
        return start(port, List.of("-inMemory"));
    }

    private static EmbeddedDynamoDb start(int port, List<String> storageArgs) {
        Ports.requireValid(ENGINE, "port", port);
        Ports.requireFree(ENGINE, port);
        List<String> args = new ArrayList<>(List.of("-sharedDb", "-disableTelemetry", "-port", Integer.toString(port)));
        args.addAll(storageArgs);
        DynamoDBProxyServer server;
        try {
            server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            bindToLoopback(server);
            // safeStart() throws on a bind failure; start() would only print it and carry on.
            server.safeStart();
            Ports.awaitListening(ENGINE, port, Duration.ofSeconds(30));
        } catch (EngineStartException e) {
            throw e;
        } catch (Exception e) {
            throw new EngineStartException(ENGINE + " on port " + port + " did not start: " + e, e);
        }
        LOG.info("DynamoDB Local listening on {}:{} ({})", Ports.HOST, port, String.join(" ", storageArgs));
        return new EmbeddedDynamoDb(server, port);
    }

    /**
     * DynamoDB Local builds its Jetty server with {@code new Server(port)}, which listens on every interface and
     * offers no option to change it. Setting the connector's host before start keeps it on the loopback address.
     */
    private static void bindToLoopback(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Server jetty = (Server) field.get(proxy);
        for (Connector connector : jetty.getConnectors()) {
            if (connector instanceof AbstractNetworkConnector network) {
                network.setHost(Ports.HOST);
            }
        }
    }

    public String endpoint() {
        return httpEndpoint();
    }

    @Override
    protected void stop() throws Exception {
        server.stop();
    }
}
