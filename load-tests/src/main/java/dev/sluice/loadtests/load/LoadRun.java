package dev.sluice.loadtests.load;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What one {@code ./sluice load} run shares with the Gatling simulation. Gatling instantiates {@link SluiceSimulation}
 * itself, by class name, so the run is handed over through {@link #current()}; one run per JVM.
 */
public final class LoadRun {
  private static final AtomicReference<LoadRun> CURRENT = new AtomicReference<>();

  private final LoadOptions options;
  private final LoadEvents events;
  private final TimeSeriesRecorder traffic;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicReference<String> stopReason = new AtomicReference<>();

  LoadRun(LoadOptions options, LoadEvents events, TimeSeriesRecorder traffic) {
    this.options = options;
    this.events = events;
    this.traffic = traffic;
  }

  static void begin(LoadRun run) {
    if (!CURRENT.compareAndSet(null, run)) {
      throw new IllegalStateException("one load run per JVM");
    }
  }

  static LoadRun current() {
    LoadRun run = CURRENT.get();
    if (run == null) {
      throw new IllegalStateException("SluiceSimulation runs only from ./sluice load (LoadMain)");
    }
    return run;
  }

  public LoadOptions options() {
    return options;
  }

  public LoadEvents events() {
    return events;
  }

  public TimeSeriesRecorder traffic() {
    return traffic;
  }

  /** Whether the next request is a special one (invalid or poison) of the scenario's mix. */
  boolean nextIsSpecial() {
    long n = sequence.getAndIncrement();
    return switch (options.scenario()) {
      case INVALID -> LoadEvents.isSpecial(n, 10);
      case POISON -> LoadEvents.isSpecial(n, options.poisonPercent());
      default -> false;
    };
  }

  /** Asks the generator to stop (the ramp broke); the first reason wins. */
  void stop(String reason) {
    stopReason.compareAndSet(null, reason);
  }

  boolean stopping() {
    return stopReason.get() != null;
  }

  Optional<String> stopReason() {
    return Optional.ofNullable(stopReason.get());
  }
}
