package dev.sluice.loadtests.load;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The load scenarios of {@code ./sluice load <scenario>}. */
public enum Scenario {
  /** Valid {@code retail.product.created} events at a constant rate. */
  STEADY("valid events at a constant rate"),
  /** Steps the rate up until errors or p99 latency cross their thresholds; reports the knee. */
  RAMP("ramp to destruction: step the rate up until errors or p99 cross a threshold, report the knee"),
  /** A constant rate of which 10 % are schema-invalid (expected 422, kept as ingress rejects). */
  INVALID("constant rate, 10 % schema-invalid events (expected 422)"),
  /** Valid events of which a share the demo consumer rejects (price over 100000), watching the consumer's metrics. */
  POISON("poison storm into the demo consumer: a share of events it quarantines (HANDLER_REJECTED)"),
  /** Redrives of quarantined items through the console while valid traffic flows. */
  REDRIVE("one bulk redrive job over a group's quarantined items, under live traffic");

  private final String description;

  Scenario(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  /** The lower-case name used on the command line and in report paths. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Scenario parse(String name) {
    for (Scenario s : values()) {
      if (s.cliName().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown scenario '" + name + "'; one of "
        + Arrays.stream(values()).map(Scenario::cliName).collect(Collectors.joining(", ")));
  }
}
