package dev.sluice.deploy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One {@code ./sluice <command>} in a separate JVM, started exactly as the script starts it:
 * {@code dev.sluice.deploy.Main <command> --config FILE}, with this test JVM's class path and a config file of the
 * test's choosing. Tests kill it (SIGKILL: no shutdown hook runs) and start it again on the same config, to show what
 * survives a crash of that part.
 */
public final class SluiceProcess implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SluiceProcess.class.getName());
  /** What Main prints once the part serves. */
  private static final String READY_LINE = "up in ";

  private final String command;
  private final Path configFile;
  private final Path logFile;
  private final List<String> jvmOptions;
  private Process process;

  /**
   * @param workDir where the config file and the log (every run of the process, appended) go
   * @param config the properties the process reads ({@code sluice.*} keys)
   * @param jvmOptions e.g. the heap size
   */
  public SluiceProcess(String command, Path workDir, Map<String, String> config, List<String> jvmOptions) {
    this.command = command;
    this.configFile = workDir.resolve(command + ".properties");
    this.logFile = workDir.resolve(command + "-process.log");
    this.jvmOptions = List.copyOf(jvmOptions);
    try {
      Files.writeString(configFile, new TreeMap<>(config).entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code ./sluice kafka} on a data directory under {@code workDir} and the given ports. */
  public static SluiceProcess kafka(Path workDir, int port, int controllerPort) {
    return new SluiceProcess("kafka", workDir, Map.of(
        "sluice.dev.dir", workDir.resolve("dev").toAbsolutePath().toString(),
        "sluice.dev.kafka.port", Integer.toString(port),
        "sluice.dev.kafka.controller.port", Integer.toString(controllerPort)),
        List.of("-Xmx512m", "-XX:+UseSerialGC"));
  }

  /** Starts the process and waits until it says it is up; returns the time that took. */
  public Duration start(Duration within) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    int readyBefore = countReadyLines();
    List<String> commandLine = new ArrayList<>();
    commandLine.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    commandLine.addAll(jvmOptions);
    commandLine.addAll(List.of("-cp", System.getProperty("java.class.path"),
        "dev.sluice.deploy.Main", command, "--config", configFile.toString()));
    // Appends, so the log keeps every run of the process (first start and restarts).
    process = new ProcessBuilder(commandLine)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
    LOG.log(System.Logger.Level.INFO, "started {0} process {1}, log in {2}", command, process.pid(), logFile);
    long deadline = t0 + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (countReadyLines() > readyBefore) {
        return Duration.ofNanos(System.nanoTime() - t0);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the " + command + " process exited with " + process.exitValue() + "; see "
            + logFile);
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the " + command + " process did not report up within " + within + "; see "
        + logFile);
  }

  private int countReadyLines() throws IOException {
    if (!Files.exists(logFile)) {
      return 0;
    }
    try (var lines = Files.lines(logFile, StandardCharsets.ISO_8859_1)) {
      return (int) lines.filter(l -> l.startsWith(READY_LINE)).count();
    }
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or committed by the process. */
  public void kill() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public long pid() {
    return process == null ? -1 : process.pid();
  }

  public Path logFile() {
    return logFile;
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
