package dev.sluice.loadtests.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.loadtests.method.Plan;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PeersOptionsTest {
  @Test
  void noArgumentsGiveTheFullRun() {
    assertEquals(PeersOptions.FULL, PeersOptions.parse(new String[0]));
    assertEquals(200_000, PeersOptions.FULL.ioEvents());
    assertEquals(5_000, PeersOptions.FULL.orderedEvents());
    assertEquals(50_000, PeersOptions.FULL.boundedEvents());
    assertFalse(PeersOptions.FULL.quick());
  }

  @Test
  void theFullRunIsMeasuredByTheFullPlanAndQuickByTheSmokePlan() {
    assertEquals(Plan.full(), PeersOptions.FULL.plan());
    Plan quick = PeersOptions.parse(new String[] {"--quick"}).plan();
    assertEquals(Plan.quick(), quick);
    assertTrue(quick.smoke(), "a --quick run's figures are not judged");
  }

  @Test
  void roundsSetTheRoundsOfEitherPlanAndNothingElse() {
    assertEquals(Plan.full().withRounds(7), PeersOptions.parse(new String[] {"--rounds", "7"}).plan());
    assertEquals(Plan.quick().withRounds(3), PeersOptions.parse(new String[] {"--quick", "--rounds", "3"}).plan());
  }

  @Test
  void theParkedKeysFigureReadsThreeTimesAsManyAsThePoisonFigure() {
    assertEquals(300_000, PeersOptions.FULL.parkedEvents());
    assertEquals(90_000, PeersOptions.parse(new String[] {"--events", "30000"}).parkedEvents());
  }

  @Test
  void springKafkaReadsAFifthOfThePoisonTopic() {
    assertEquals(20_000, PeersOptions.FULL.springEvents());
    assertEquals(4_000, PeersOptions.QUICK.springEvents());
  }

  @Test
  void quickPicksSmallerDefaultsWhereverItStandsAndOtherOptionsStillOverride() {
    assertEquals(PeersOptions.QUICK, PeersOptions.parse(new String[] {"--quick"}));
    PeersOptions o = PeersOptions.parse(new String[] {"--rounds", "5", "--quick", "--run-limit-s", "12"});
    assertEquals(PeersOptions.QUICK.ioEvents(), o.ioEvents());
    assertEquals(5, o.rounds());
    assertEquals(Duration.ofSeconds(12), o.runLimit());
    assertTrue(PeersOptions.QUICK.ioEvents() < PeersOptions.FULL.ioEvents());
  }

  @Test
  void everyNumberCanBeSet() {
    PeersOptions o = PeersOptions.parse(new String[] {"--io-events", "50000", "--ordered-events", "5000", "--events",
        "30000", "--rounds", "2", "--run-limit-s", "45"});
    assertEquals(new PeersOptions(false, 50_000, 5_000, 30_000, 2, Duration.ofSeconds(45), false), o);
  }

  @Test
  void onlyThePoisonFigureCanBeAskedFor() {
    assertTrue(PeersOptions.parse(new String[] {"--only-figure", "poison", "--rounds", "3"}).onlyPoison());
    assertFalse(PeersOptions.parse(new String[] {"--rounds", "3"}).onlyPoison());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PeersOptions.parse(new String[] {"--only-figure",
        "parked"})).getMessage().contains("--only-figure takes poison"));
  }

  @Test
  void theHappyPathReadsFiveTimesAsManyAsTheOtherFigures() {
    assertEquals(100_000, PeersOptions.QUICK.happyEvents());
    assertEquals(150_000, PeersOptions.parse(new String[] {"--events", "30000"}).happyEvents());
  }

  @Test
  void theWrapperWithTheLogReadsThreeTimesThePoisonRecordsTheOthersRead() {
    PeersOptions o = PeersOptions.parse(new String[] {"--events", "20000"});
    assertEquals(60_000, o.logEvents());
    assertEquals(20_000, o.events());
    assertEquals(4_000, o.springEvents());
    assertEquals(300_000, PeersOptions.FULL.logEvents());
  }

  @Test
  void theBoundedWrapperReadsAQuarterOfTheIoTopic() {
    assertEquals(2_000, PeersOptions.parse(new String[] {"--io-events", "8000"}).boundedEvents());
    assertEquals(5_000, PeersOptions.QUICK.boundedEvents());
  }

  @Test
  void theOrderedCountNeverExceedsTheTopic() {
    assertEquals(2_000, PeersOptions.parse(new String[] {"--io-events", "2000"}).orderedEvents());
  }

  @Test
  void badArgumentsAreExplained() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PeersOptions.parse(new String[] {"--fast"}))
        .getMessage().contains("unknown option --fast"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PeersOptions.parse(new String[] {"--events"}))
        .getMessage().contains("bad or missing number"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PeersOptions.parse(new String[] {"--events",
        "ten"})).getMessage().contains("bad or missing number"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PeersOptions.parse(new String[] {"--rounds", "0"}))
        .getMessage().contains("--rounds"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PeersOptions.parse(new String[] {"--events",
        "10"})).getMessage().contains("at least"));
    assertThrows(IllegalArgumentException.class, () -> new PeersOptions(false, 10_000, 20_000, 10_000, 3,
        Duration.ofSeconds(60), false));
    assertThrows(IllegalArgumentException.class, () -> PeersOptions.parse(new String[] {"--run-limit-s", "1"}));
  }
}
