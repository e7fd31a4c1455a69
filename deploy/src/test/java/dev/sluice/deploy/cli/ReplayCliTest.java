package dev.sluice.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@code ./sluice replay}'s command line: each subcommand's help, usage errors (2), an unreachable console (1). */
class ReplayCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ReplayCli.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"start", "list", "show", "cancel", "pause", "resume", "rewind"})
  void eachSubcommandAnswersHelpWithItsOwnUsage(String sub) {
    assertEquals(ReplayCli.OK, run(sub, "--help"), this::err);
    assertTrue(out().startsWith("Usage: ./sluice replay " + sub + " "), out());
    assertTrue(out().contains("--console URL"), out());
    assertEquals("", err());
  }

  @Test
  void noSubcommandOrAnUnknownOneIsAUsageErrorListingThem() {
    assertEquals(ReplayCli.USAGE, run());
    assertTrue(err().contains("./sluice replay start --stream STREAM"), err());
    assertEquals(ReplayCli.USAGE, run("rewound"));
    assertTrue(err().contains("Unknown replay command: rewound"), err());
    assertTrue(err().contains("./sluice replay rewind --stream STREAM"), err());
  }

  @Test
  void missingOrUnknownArgumentsAreUsageErrorsBeforeAnythingIsSent() {
    assertEquals(ReplayCli.USAGE, run("start", "--stream", "retail", "--group", "g"));
    assertTrue(err().contains("--from is required"), err());
    assertEquals(ReplayCli.USAGE, run("start", "--stream", "retail", "--group", "g", "--from", "earliest",
        "--limit", "3"));
    assertTrue(err().contains("Unknown option: --limit"), err());
    assertEquals(ReplayCli.USAGE, run("show"));
    assertTrue(err().contains("show needs the replay's ID"), err());
    assertEquals(ReplayCli.USAGE, run("cancel", "a", "b"));
    assertEquals(ReplayCli.USAGE, run("pause"));
    assertTrue(err().contains("pause needs the replay's ID"), err());
    assertEquals(ReplayCli.USAGE, run("resume", "a", "--limit", "3"));
    assertEquals(ReplayCli.USAGE, run("list", "--console"));
    assertTrue(err().contains("--console needs a value"), err());
    assertEquals(ReplayCli.USAGE, run("list", "--console", "not a url"));
  }

  @Test
  void aConsoleThatCannotBeReachedIsStatusOneSayingWhere() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertEquals(ReplayCli.REFUSED, run("list", "--console=http://127.0.0.1:" + port));
    assertTrue(err().contains("cannot reach the console at http://127.0.0.1:" + port), err());
  }

  @Test
  void startsHelpNamesTheSliceOptions() {
    assertEquals(ReplayCli.OK, run("start", "--help"), this::err);
    assertTrue(out().contains("[--to INSTANT] [--types T1,T2] [--keys K1,K2]"), out());
    assertTrue(out().contains("the rest of history is passed over"), out());
  }

  @Test
  void aRewindTakesFromOrOffsetsButNotBothAndOffsetsArePartitionOffsetPairs() {
    assertEquals(ReplayCli.USAGE, run("rewind", "--stream", "retail", "--group", "g"));
    assertTrue(err().contains("rewind needs --from or --offsets"), err());
    assertEquals(ReplayCli.USAGE, run("rewind", "--stream", "retail", "--group", "g", "--from", "earliest",
        "--offsets", "0=1"));
    assertEquals(ReplayCli.USAGE, run("rewind", "--stream", "retail", "--group", "g", "--offsets", "0:12"));
    assertTrue(err().contains("--offsets takes PARTITION=OFFSET pairs, e.g. 0=12,1=40: not 0:12"), err());
    assertEquals("{\"0\":12,\"1\":40}", ReplayCli.offsets("0=12, 1=40").encode());
  }
}
