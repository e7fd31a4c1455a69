package dev.sluice.loadtests.method;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@link Rounds} measured: every variant's rate per round, in the order run, the garbage collections during
 * each run, and how each variant's warm-up went.
 */
public record Results(Plan plan, Map<String, List<Double>> rates, Map<String, List<Long>> gcs,
    Map<String, Warmup> warmups) {

  public Results {
    rates = Map.copyOf(rates);
    gcs = Map.copyOf(gcs);
    warmups = Map.copyOf(warmups);
  }

  /** A variant's rate: the median over the rounds, with its spread. */
  public Estimate rate(String variant) {
    return Estimate.of(rates(variant));
  }

  /**
   * {@code measured / baseline}, one ratio per round (the two ran in the same round, one right after the other or
   * with the round's other variants between them), and their median and spread.
   */
  public Estimate ratio(String measured, String baseline) {
    return Estimate.ofPairs(rates(measured), rates(baseline));
  }

  public List<Double> rates(String variant) {
    List<Double> r = rates.get(variant);
    if (r == null) {
      throw new IllegalArgumentException("no variant " + variant + " in " + rates.keySet());
    }
    return r;
  }

  /** The fewest garbage collections any measured run saw: several mean each run spans several GC cycles. */
  public long fewestGcs() {
    return gcs.values().stream().flatMap(List::stream).mapToLong(Long::longValue).min().orElse(0);
  }

  /** Variants whose warm-up ended without two consecutive runs agreeing. */
  public List<String> unsettled() {
    return warmups.entrySet().stream().filter(e -> !e.getValue().settled()).map(Map.Entry::getKey).sorted().toList();
  }

  /** One line for the report's setting: rounds, warm-ups and GCs, and which variants did not settle. */
  public String describe() {
    int fewest = warmups.values().stream().mapToInt(w -> w.rates().size()).min().orElse(0);
    int most = warmups.values().stream().mapToInt(w -> w.rates().size()).max().orElse(0);
    long maxGcs = gcs.values().stream().flatMap(List::stream).mapToLong(Long::longValue).max().orElse(0);
    List<String> unsettled = unsettled();
    return String.format("%d interleaved round(s), the order reversed every other round; %s warm-up run(s) per "
            + "variant%s; %d to %d garbage collections per measured run", plan.rounds(),
        fewest == most ? String.valueOf(fewest) : fewest + " to " + most,
        plan.maxWarmups() < 2 ? " (not checked for settling)" : unsettled.isEmpty()
            ? String.format(", each until %d in a row agreed within %.0f %%", Warmup.window(plan),
                plan.settledWithin() * 100)
            : ", not settled within " + plan.maxWarmups() + ": " + String.join(", ", unsettled),
        fewestGcs(), maxGcs);
  }

  /** Every variant's rates, for a note: "A (1 / 2 / 3); B (...)". */
  public String ratesText() {
    return rates.keySet().stream().sorted().map(v -> v + " " + rate(v).samplesText())
        .collect(Collectors.joining("; "));
  }
}
