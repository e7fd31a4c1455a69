package dev.sluice.loadtests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
  @Test
  void defaultsRunEverySuiteInFull() {
    BenchOptions o = BenchOptions.parse(new String[0]);
    assertFalse(o.quick());
    assertEquals(List.of(Suite.VALIDATION, Suite.INGEST, Suite.CONSUMER, Suite.SEALING, Suite.REPLAY, Suite.PEERS),
        o.ordered());
    assertEquals(List.of(), o.suiteArgs(Suite.INGEST));
    assertEquals(List.of(), o.suiteArgs(Suite.PEERS));
    assertEquals(List.of(), o.suiteArgs(Suite.CONSUMER));
    assertEquals(List.of(), o.suiteArgs(Suite.REPLAY));
    assertEquals(List.of(), o.suiteArgs(Suite.SEALING));
    assertTrue(o.out().isEmpty());
  }

  @Test
  void quickShortensEverySuite() {
    BenchOptions o = BenchOptions.parse(new String[] {"--quick", "--only", "consumer,ingest", "--out", "t.md"});
    assertTrue(o.quick());
    assertEquals(List.of(Suite.INGEST, Suite.CONSUMER), o.ordered());
    assertEquals(List.of("--quick"), o.suiteArgs(Suite.INGEST));
    assertEquals(List.of("--quick"), o.suiteArgs(Suite.CONSUMER));
    assertEquals(List.of("--quick"), o.suiteArgs(Suite.VALIDATION));
    assertEquals(List.of("--quick"), o.suiteArgs(Suite.REPLAY));
    assertEquals(List.of("--quick"), o.suiteArgs(Suite.PEERS));
    assertEquals(List.of("--quick"), o.suiteArgs(Suite.SEALING));
    assertEquals(Path.of("t.md"), o.out().orElseThrow());
    assertTrue(Suite.CONSUMER.limit(true).compareTo(Suite.CONSUMER.limit(false)) < 0);
  }

  @Test
  void badArgumentsAreExplained() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--only",
        "soak"})).getMessage().contains("ingest, consumer, validation, replay, peers"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--only", ","}))
        .getMessage().contains("no suite"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--out"}))
        .getMessage().contains("needs a value"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--fast"}))
        .getMessage().contains("unknown option"));
  }

  @Test
  void thePeersSuiteRunsAloneAndLast() {
    assertEquals(List.of(Suite.PEERS), BenchOptions.parse(new String[] {"--only", "peers"}).ordered());
    assertEquals(List.of(Suite.CONSUMER, Suite.PEERS),
        BenchOptions.parse(new String[] {"--only", "peers,consumer"}).ordered());
    assertTrue(Suite.PEERS.limit(true).compareTo(Suite.PEERS.limit(false)) < 0);
    assertTrue(BenchOptions.USAGE.contains("peers"));
  }

  @Test
  void theSealingSuiteIsSelectedByNameAndRunsAfterTheConsumerSuite() {
    assertEquals(List.of(Suite.SEALING), BenchOptions.parse(new String[] {"--only", "sealing"}).ordered());
    assertEquals(List.of(Suite.CONSUMER, Suite.SEALING, Suite.PEERS),
        BenchOptions.parse(new String[] {"--only", "peers,sealing,consumer"}).ordered());
    assertTrue(Suite.SEALING.limit(true).compareTo(Suite.SEALING.limit(false)) < 0);
    assertTrue(BenchOptions.USAGE.contains("sealing"));
  }

  @org.junit.jupiter.api.Test
  void helpAnywhereOnTheCommandLineIsAskedFor() {
    org.junit.jupiter.api.Assertions.assertTrue(BenchOptions.wantsHelp(new String[] {"--quick", "--help"}));
    org.junit.jupiter.api.Assertions.assertFalse(BenchOptions.wantsHelp(new String[] {"--quick"}));
  }
}
