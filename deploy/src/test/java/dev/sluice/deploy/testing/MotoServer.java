package dev.sluice.deploy.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * moto's server ({@code moto_server}, from the Python package moto), on a free 127.0.0.1 port: a real AWS API (KMS
 * here) on loopback, for what no Maven artifact serves. It is not installed by the build (PyPI is not one of the
 * registries this project's machines reach), so a test asks {@link #find} first and skips without it.
 *
 * <p>The process and anything it started are killed by {@link #close}, and by a shutdown hook should the JVM end
 * before that: a test never leaves a server behind.
 */
public final class MotoServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Thread killer;
  private final URI endpoint;

  private MotoServer(Process process, int port) {
    this.process = process;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
    this.killer = new Thread(this::kill, "moto-server-killer");
    Runtime.getRuntime().addShutdownHook(killer);
  }

  /** The {@code moto_server} executable on the PATH, if there is one. */
  public static Optional<Path> find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "moto_server");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** {@code executable} started on a free loopback port, its output in {@code log}; returns once it accepts calls. */
  public static MotoServer start(Path executable, Path log) throws IOException, InterruptedException {
    int port = FreePorts.pick();
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process process = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    MotoServer server = new MotoServer(process, port);
    try {
      server.awaitListening(port, log);
      return server;
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Kills the server now (for a test of what an outage looks like); {@link #close} is still safe after it. */
  public void stop() {
    kill();
  }

  @Override
  public void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to: it kills the same process, which is already gone.
    }
  }

  private void awaitListening(int port, Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("moto_server exited with " + process.exitValue() + " before listening; see " + log);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IOException("moto_server did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT + "; see "
        + log);
  }

  private void kill() {
    // Its children first (a pyenv shim or a reloader may stand between us and the Python process serving).
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
