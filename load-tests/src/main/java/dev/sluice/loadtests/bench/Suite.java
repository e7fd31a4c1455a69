package dev.sluice.loadtests.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The benchmark suites {@code ./sluice bench} runs, each in its own JVM, with how long each may take at most. */
public enum Suite {
  INGEST(Duration.ofMinutes(5), Duration.ofMinutes(10)),
  CONSUMER(Duration.ofMinutes(5), Duration.ofMinutes(12)),
  VALIDATION(Duration.ofMinutes(3), Duration.ofMinutes(6)),
  REPLAY(Duration.ofMinutes(5), Duration.ofMinutes(10)),
  PEERS(Duration.ofMinutes(6), Duration.ofMinutes(20)),
  SEALING(Duration.ofMinutes(5), Duration.ofMinutes(12));

  private final Duration quickLimit;
  private final Duration fullLimit;

  Suite(Duration quickLimit, Duration fullLimit) {
    this.quickLimit = quickLimit;
    this.fullLimit = fullLimit;
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** After this the suite's JVM is stopped and the suite reported as not finished. */
  public Duration limit(boolean quick) {
    return quick ? quickLimit : fullLimit;
  }

  static Suite parse(String name) {
    for (Suite s : values()) {
      if (s.cliName().equals(name.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown suite '" + name + "'; one of "
        + Arrays.stream(values()).map(Suite::cliName).collect(Collectors.joining(", ")));
  }
}
