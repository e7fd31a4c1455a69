package dev.sluice.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every command answers {@code --help} with its own usage on standard output and status 0. */
class MainUsageTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, Map.of(), new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * The commands the launcher runs itself; load and bench run from the load-tests classpath (their options have their
   * own tests), and help's own help is the general text (below).
   */
  static Stream<String> launcherCommands() {
    return Usage.COMMANDS.stream().map(Usage.Entry::name)
        .filter(n -> !n.equals("load") && !n.equals("bench") && !n.equals("help"));
  }

  @ParameterizedTest
  @MethodSource("launcherCommands")
  void eachCommandAnswersHelpWithItsOwnUsage(String command) {
    assertEquals(0, run(command, "--help"), err::toString);
    assertTrue(out().startsWith("Usage: ./sluice " + command + " "), out());
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-h", "--help"})
  void helpMayComeAfterOtherArguments(String flag) {
    assertEquals(0, run("dev", "--fresh", flag));
    assertTrue(out().startsWith("Usage: ./sluice dev "), out());
    assertTrue(out().contains("--fresh"), out());
  }

  @Test
  void helpAloneListsEveryCommandWithStatusZero() {
    assertEquals(0, run("help"));
    for (Usage.Entry e : Usage.COMMANDS) {
      assertTrue(out().contains("  " + e.name() + " "), e.name() + " missing from\n" + out());
    }
    out.reset();
    assertEquals(0, run("--help"));
    assertTrue(out().startsWith("Usage: ./sluice <command>"), out());
  }

  @Test
  void helpWithACommandIsThatCommandsText() {
    assertEquals(0, run("help", "init"));
    assertTrue(out().startsWith("Usage: ./sluice init "), out());
    assertTrue(out().contains("idempotently"), out());
  }

  @Test
  void yesIsOnlyForMovingTheKeys() {
    // --yes writes to the key table: no other command takes it silently.
    assertEquals(Main.EXIT_USAGE, run("gateway", "--yes"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown option for gateway: --yes"), err.toString());
    assertEquals(new Main.Command("rewrap-keys", null, false, true), Main.parse(new String[] {"rewrap-keys", "--yes"}));
  }

  @Test
  void noCommandOrAnUnknownOneIsAUsageError() {
    assertEquals(Main.EXIT_USAGE, run());
    assertEquals(Main.EXIT_USAGE, run("nonsense"));
    assertEquals(Main.EXIT_USAGE, run("nonsense", "--help"));
    assertEquals(Main.EXIT_USAGE, run("help", "nonsense"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown command: nonsense"));
  }
}
