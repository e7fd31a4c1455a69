package dev.sluice.deploy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay in front of a real engine, which the test can stall: while stalled, it passes no byte either way, so
 * a client's call hangs as it would on a stuck network or engine, and only the client's own timeout ends it. Every
 * answer that does get through is the engine's. {@link #resume} drops the connections that were held, so nothing
 * sent during the stall reaches the engine late.
 */
public final class StallingRelay implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "stalling-relay");
    t.setDaemon(true);
    return t;
  });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  /** Counted down when the stall ends; null while bytes flow. */
  private volatile CountDownLatch stall;

  /** A relay to {@code endpoint} ({@code http://host:port}), listening on a free loopback port. */
  public StallingRelay(String endpoint) {
    URI uri = URI.create(endpoint);
    this.target = new InetSocketAddress(uri.getHost(), uri.getPort());
    try {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    threads.execute(this::accept);
  }

  /** Where clients reach the engine through the relay. */
  public String endpoint() {
    return "http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
  }

  /** From now on, no byte passes until {@link #resume}. */
  public synchronized void stall() {
    if (stall == null) {
      stall = new CountDownLatch(1);
    }
  }

  /** Drops every connection made so far (with what it held), and lets bytes pass again. */
  public synchronized void resume() {
    CountDownLatch held = stall;
    stall = null;
    closeAll();
    if (held != null) {
      held.countDown();
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket engine = new Socket();
        open.add(client);
        open.add(engine);
        engine.connect(target);
        threads.execute(() -> pump(client, engine));
        threads.execute(() -> pump(engine, client));
      } catch (IOException e) {
        // closed, or the engine refused: the client sees its connection end
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[8192];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        CountDownLatch held = stall;
        if (held != null) {
          held.await();
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // one side closed, or the relay did
    } finally {
      close(from);
      close(to);
    }
  }

  private void closeAll() {
    for (Socket s : open) {
      close(s);
    }
  }

  private void close(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    resume();
    threads.shutdownNow();
  }
}
