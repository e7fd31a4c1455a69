package dev.sluice.loadtests.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReadOptionsTest {
  private static final ReadOptions DEFAULTS = new ReadOptions(1_000, Duration.ofSeconds(60));

  @Test
  void eachOptionOverridesItsDefault() {
    assertEquals(DEFAULTS, ReadOptions.parse(new String[0], DEFAULTS, "b"));
    assertEquals(new ReadOptions(500, Duration.ofSeconds(60)),
        ReadOptions.parse(new String[] {"--events", "500"}, DEFAULTS, "b"));
    assertEquals(new ReadOptions(1_000, Duration.ofSeconds(9)),
        ReadOptions.parse(new String[] {"--phase-limit-s", "9"}, DEFAULTS, "b"));
  }

  @Test
  void badArgumentsAreExplainedWithTheUsage() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ReadOptions.parse(new String[] {"--events"},
        DEFAULTS, "b")).getMessage().contains("usage: b"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ReadOptions.parse(new String[] {"--events", "x"},
        DEFAULTS, "b")).getMessage().contains("usage: b"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ReadOptions.parse(new String[] {"--fast"},
        DEFAULTS, "b")).getMessage().contains("unknown option --fast"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ReadOptions.parse(new String[] {"--events", "99"},
        DEFAULTS, "b")).getMessage().contains("at least 100"));
  }
}
