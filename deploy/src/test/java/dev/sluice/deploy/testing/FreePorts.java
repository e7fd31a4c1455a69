package dev.sluice.deploy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Picks free loopback ports for engines that cannot bind port 0 themselves (KRaft controller voters need the
 * real port up front). There is a small window between picking and binding; tests start once per run, so a clash
 * is rare and shows as an EngineStartException naming the port.
 */
public final class FreePorts {
    private FreePorts() {
    }

    public static int pick() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on the loopback address", e);
        }
    }

    /** {@code count} distinct free ports. */
    public static int[] pick(int count) {
        Set<Integer> ports = new HashSet<>();
        while (ports.size() < count) {
            ports.add(pick());
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }
}
