package dev.sluice.deploy.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Port checks shared by the engines: everything binds to the loopback address only. */
final class Ports {
    static final String HOST = "127.0.0.1";

    private Ports() {
    }

    static void requireValid(String engine, String what, int port) {
        if (port < 1 || port > 65535) {
            throw new EngineStartException(engine + ": " + what + " " + port + " is not a port in 1..65535");
        }
    }

    /**
     * Fails fast with a clear message when the port is taken. Some engines report a bind failure only in a log
     * line (DynamoDB Local) or from a background thread (Kafka), so checking first gives one clear error instead.
     */
    static void requireFree(String engine, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (IOException e) {
            throw new EngineStartException(
                    engine + ": port " + HOST + ":" + port + " is not free (" + e.getMessage() + ")", e);
        }
    }

    /** Waits until something accepts TCP connections on the port. */
    static void awaitListening(String engine, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 200);
                return;
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineStartException(engine + ": interrupted while waiting for port " + port, e);
            }
        }
        throw new EngineStartException(engine + ": nothing answers on " + HOST + ":" + port + " after " + timeout, last);
    }
}
