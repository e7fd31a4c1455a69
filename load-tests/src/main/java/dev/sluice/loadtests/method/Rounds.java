package dev.sluice.loadtests.method;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The measurement method every suite uses. The variants are first warmed up, interleaved as the rounds are: each
 * warm-up round runs every variant not yet settled, the order reversed every other round, until each has settled (or
 * run its most warm-ups). Variants of one suite share code (the gateway's ingest path, the wrapper's poll loop), so
 * a variant warmed alone, before the next one ran, settled on a plateau its rounds then left: the next variant's
 * warm-ups compiled the shared code again for both. Then every variant runs once per round, the order reversed every
 * other round (A B C, C B A, A B C...), so that a machine getting busier or quieter, or a JVM still warming, weighs
 * on both sides of a pair alike and not always on the later one.
 * Compared figures are then the median of the per-round ratios ({@link Results#ratio}), with their spread.
 *
 * <p>Variants run one at a time on the calling thread, on the same broker and topics the suite set up.
 */
public final class Rounds {
  private final Plan plan;
  private final Consumer<String> log;
  private final Map<String, Trial> variants = new LinkedHashMap<>();

  /** @param log one line per warm-up and per round, for the progress output */
  public Rounds(Plan plan, Consumer<String> log) {
    this.plan = plan;
    this.log = log;
  }

  /** Adds a variant, run in the order added (reversed every other round). */
  public Rounds variant(String name, Trial trial) {
    if (variants.putIfAbsent(name, trial) != null) {
      throw new IllegalArgumentException("two variants named " + name);
    }
    return this;
  }

  public Results run() throws Exception {
    if (variants.isEmpty()) {
      throw new IllegalStateException("no variant to run");
    }
    Map<String, Warmup> warmups = warmUp();
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    Map<String, List<Long>> gcs = new LinkedHashMap<>();
    variants.keySet().forEach(name -> {
      rates.put(name, new ArrayList<>());
      gcs.put(name, new ArrayList<>());
    });
    List<String> order = new ArrayList<>(variants.keySet());
    for (int round = 1; round <= plan.rounds(); round++) {
      for (String name : inOrder(order, round)) {
        log.accept(String.format("round %d/%d: %s", round, plan.rounds(), name));
        long gc0 = GcCount.now();
        double rate = variants.get(name).run();
        gcs.get(name).add(GcCount.now() - gc0);
        rates.get(name).add(rate);
      }
    }
    return new Results(plan, rates, gcs, warmups);
  }

  /** Warm-up rounds of the variants still warming, interleaved, until none is left. */
  private Map<String, Warmup> warmUp() throws Exception {
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    variants.keySet().forEach(name -> rates.put(name, new ArrayList<>()));
    List<String> warming = new ArrayList<>(variants.keySet());
    for (int round = 1; !warming.isEmpty(); round++) {
      for (String name : inOrder(warming, round)) {
        List<Double> own = rates.get(name);
        log.accept(String.format("warm-up %d of %s (at most %d, until %d in a row agree within %.0f %%)",
            own.size() + 1, name, plan.maxWarmups(), Warmup.window(plan), plan.settledWithin() * 100));
        own.add(variants.get(name).run());
        if (own.size() >= plan.maxWarmups() || own.size() >= plan.minWarmups() && settled(own)) {
          warming.remove(name);
        }
      }
    }
    Map<String, Warmup> warmups = new LinkedHashMap<>();
    rates.forEach((name, own) -> warmups.put(name, new Warmup(own, settled(own))));
    return warmups;
  }

  /** The names as given in odd rounds, reversed in even ones. */
  private static List<String> inOrder(List<String> names, int round) {
    List<String> ordered = new ArrayList<>(names);
    if (round % 2 == 0) {
      Collections.reverse(ordered);
    }
    return ordered;
  }

  private boolean settled(List<Double> rates) {
    return Warmup.settled(rates, Warmup.window(plan), plan.settledWithin());
  }
}
