package dev.sluice.loadtests.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * A JFR recording of the whole benchmark ({@code --profile}), with the JDK's "profile" settings (execution samples of
 * the threads running Java code every 10 ms, among others) and each thread's CPU load every second, written to a file
 * when the benchmark ends.
 *
 * <p>It starts before the broker and the gateways do, on a JVM that has compiled nothing yet: starting a recording
 * in a warm JVM makes JFR retransform the JDK's I/O classes it instruments, which throws away the compiled code that
 * inlined them, and single-event ingest then fell from about 16,000 to 400 events/s and took some 30 s to recover.
 * A profile of that would show the JIT's warm-up, not ingest.
 */
final class JfrProfile implements AutoCloseable {
  private final Recording recording;
  private final Path file;

  private JfrProfile(Recording recording, Path file) {
    this.recording = recording;
    this.file = file;
  }

  static JfrProfile start(Path file) throws IOException {
    Configuration profile;
    try {
      profile = Configuration.getConfiguration("profile");
    } catch (ParseException e) {
      throw new IOException("the JDK's JFR \"profile\" settings cannot be read", e);
    }
    Recording recording = new Recording(profile);
    // Each thread's CPU time every second rather than every 10 s, so that a 5 s run has a few of them.
    recording.enable("jdk.ThreadCPULoad").withPeriod(Duration.ofSeconds(1));
    recording.setName("sluice-ingest-benchmark");
    recording.start();
    return new JfrProfile(recording, file);
  }

  Path file() {
    return file;
  }

  /** Stops recording and writes the file. */
  Path stop() throws IOException {
    recording.stop();
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    recording.dump(file);
    return file;
  }

  @Override
  public void close() {
    recording.close();
  }
}
