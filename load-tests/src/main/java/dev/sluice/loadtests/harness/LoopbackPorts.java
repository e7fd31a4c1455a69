package dev.sluice.loadtests.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free ports on 127.0.0.1 for the engines and servers a benchmark starts inside its own JVM. */
public final class LoopbackPorts {
  private LoopbackPorts() {}

  /** {@code n} different ports that were free a moment ago (nothing holds them: bind them soon). */
  public static int[] free(int n) throws IOException {
    ServerSocket[] sockets = new ServerSocket[n];
    int[] ports = new int[n];
    try {
      // All held open at once so that the n ports differ.
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket();
        sockets[i].bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        ports[i] = sockets[i].getLocalPort();
      }
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
    return ports;
  }
}
