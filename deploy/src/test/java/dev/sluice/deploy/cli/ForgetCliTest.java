package dev.sluice.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./sluice forget}'s command line: help, usage errors (2, nothing sent), an unreachable console (1). */
class ForgetCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ForgetCli.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpPrintsItsUsage() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: ./sluice forget STREAM SUBJECT"), out::toString);
    assertEquals("", err());
  }

  @Test
  void withoutYesNothingIsSentAndTheAnswerSaysWhy() throws Exception {
    // A console that is not there: had anything been sent, the status would be 1 (unreachable), not 2.
    String nowhere = "http://127.0.0.1:" + closedPort();
    assertEquals(ForgetCli.USAGE, run("retail", "ph-1", "--console", nowhere));
    assertTrue(err().contains("cannot be undone: add --yes"), err());
  }

  @Test
  void argumentsThatDoNotNameOneSubjectAreUsageErrors() {
    assertEquals(ForgetCli.USAGE, run("retail", "--yes"));
    assertEquals(ForgetCli.USAGE, run("retail", "a", "b", "--yes"));
    assertEquals(ForgetCli.USAGE, run("retail", "a", "--yes", "--status"));
    assertEquals(ForgetCli.USAGE, run("retail", "a", "--yes", "--force"));
    assertEquals(ForgetCli.USAGE, run("retail", "a", "--yes", "--console", "not a url"));
  }

  @Test
  void anUnreachableConsoleIsRefusedWithStatusOne() throws Exception {
    assertEquals(1, run("retail", "ph-1", "--status", "--console", "http://127.0.0.1:" + closedPort()));
    assertTrue(err().contains("cannot reach the console"), err());
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
