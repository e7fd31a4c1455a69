package dev.sluice.console.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One counter per constant of an enum, all under one name and told apart by one tag. Registered up front, so every
 * series is scraped as 0 before it first counts (rates and alerts need the series), and the label set is bounded by
 * the enum: never an item id or a group name.
 */
public final class EnumCounters {
  private EnumCounters() {}

  /** The counters of {@code type}'s constants, each tagged {@code tag=label(constant)}. */
  public static <E extends Enum<E>> Map<E, Counter> register(MeterRegistry registry, String name, String description,
      Class<E> type, String tag, Function<E, String> label) {
    Map<E, Counter> counters = new EnumMap<>(type);
    for (E constant : type.getEnumConstants()) {
      counters.put(constant, Counter.builder(name)
          .description(description)
          .tag(tag, label.apply(constant))
          .register(registry));
    }
    return counters;
  }
}
