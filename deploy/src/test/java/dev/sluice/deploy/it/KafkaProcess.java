package dev.sluice.deploy.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A Kafka broker in a separate JVM, started exactly as {@code ./sluice kafka} starts it: {@code dev.sluice.deploy.Main
 * kafka --config FILE}, with this test JVM's class path. The config file points the broker at a data directory and
 * ports of the test's choosing, so it can be killed and started again on the same data.
 */
final class KafkaProcess implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(KafkaProcess.class.getName());
  /** What Main prints once the broker serves clients. */
  private static final String READY_LINE = "up in ";

  private final Path configFile;
  private final Path logFile;
  private Process process;

  KafkaProcess(Path workDir, int port, int controllerPort) {
    this.configFile = workDir.resolve("sluice.properties");
    this.logFile = workDir.resolve("kafka-process.log");
    try {
      Files.writeString(configFile, String.join("\n",
          "sluice.dev.dir=" + workDir.resolve("dev").toAbsolutePath(),
          "sluice.dev.kafka.port=" + port,
          "sluice.dev.kafka.controller.port=" + controllerPort,
          ""), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the broker process and waits until it says it is up; returns the time that took. */
  Duration start(Duration within) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    int readyBefore = countReadyLines();
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"),
        "dev.sluice.deploy.Main", "kafka", "--config", configFile.toString());
    // Appends, so the log keeps every run of the broker (first start and restart).
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
    LOG.log(System.Logger.Level.INFO, "started kafka process {0}, log in {1}", process.pid(), logFile);
    long deadline = t0 + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (countReadyLines() > readyBefore) {
        return Duration.ofNanos(System.nanoTime() - t0);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the kafka process exited with " + process.exitValue() + "; see " + logFile);
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the kafka process did not report up within " + within + "; see " + logFile);
  }

  private int countReadyLines() throws IOException {
    if (!Files.exists(logFile)) {
      return 0;
    }
    return (int) Files.readAllLines(logFile, StandardCharsets.UTF_8).stream()
        .filter(l -> l.startsWith(READY_LINE)).count();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed by the broker; the OS keeps what was in its page cache. */
  void kill() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor();
  }

  Path logFile() {
    return logFile;
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
