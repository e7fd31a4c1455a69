package dev.sluice.loadtests.sealing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SealingOptionsTest {
  @Test
  void theFullMethodByDefaultWithTenThousandSubjects() {
    SealingOptions o = SealingOptions.parse(new String[0]);
    assertFalse(o.plan().smoke());
    assertEquals(6, o.plan().rounds());
    assertEquals(10_000, o.subjects());
    assertEquals(Duration.ofSeconds(4), o.run());
    assertEquals(Duration.ofMillis(500), o.ramp());
  }

  @Test
  void quickIsASmokeTestWithShorterRunsAndOptionsOverrideItAnywhere() {
    SealingOptions o = SealingOptions.parse(new String[] {"--read-events", "1000", "--quick", "--rounds", "3"});
    assertTrue(o.plan().smoke());
    assertEquals(3, o.plan().rounds());
    assertEquals(1_000, o.readEvents());
    assertEquals(Duration.ofSeconds(2), o.run());
    assertTrue(o.coldEvents() < SealingOptions.parse(new String[0]).coldEvents());
  }

  @Test
  void badArgumentsAreExplained() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SealingOptions.parse(new String[] {"--subjects"})).getMessage().contains("missing number"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SealingOptions.parse(new String[] {"--fast"})).getMessage().contains("unknown option --fast"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SealingOptions.parse(new String[] {"--read-events", "10"})).getMessage().contains("at least 100"));
    assertTrue(SealingOptions.wantsHelp(new String[] {"--quick", "-h"}));
  }
}
