package dev.sluice.loadtests.method;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The measurement method every suite uses. Each variant is first warmed up until its rate settles; then every variant
 * runs once per round, the order reversed every other round (A B C, C B A, A B C...), so that a machine getting
 * busier or quieter, or a JVM still warming, weighs on both sides of a pair alike and not always on the later one.
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
    Map<String, Warmup> warmups = new LinkedHashMap<>();
    for (Map.Entry<String, Trial> v : variants.entrySet()) {
      warmups.put(v.getKey(), warmUp(v.getKey(), v.getValue()));
    }
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    Map<String, List<Long>> gcs = new LinkedHashMap<>();
    variants.keySet().forEach(name -> {
      rates.put(name, new ArrayList<>());
      gcs.put(name, new ArrayList<>());
    });
    List<String> order = new ArrayList<>(variants.keySet());
    for (int round = 1; round <= plan.rounds(); round++) {
      List<String> thisRound = new ArrayList<>(order);
      if (round % 2 == 0) {
        Collections.reverse(thisRound);
      }
      for (String name : thisRound) {
        log.accept(String.format("round %d/%d: %s", round, plan.rounds(), name));
        long gc0 = GcCount.now();
        double rate = variants.get(name).run();
        gcs.get(name).add(GcCount.now() - gc0);
        rates.get(name).add(rate);
      }
    }
    return new Results(plan, rates, gcs, warmups);
  }

  private Warmup warmUp(String name, Trial trial) throws Exception {
    List<Double> rates = new ArrayList<>();
    while (rates.size() < plan.maxWarmups()) {
      log.accept(String.format("warm-up %d of %s (at most %d, until %d in a row agree within %.0f %%)",
          rates.size() + 1, name, plan.maxWarmups(), Warmup.window(plan), plan.settledWithin() * 100));
      rates.add(trial.run());
      if (rates.size() >= plan.minWarmups() && Warmup.settled(rates, Warmup.window(plan), plan.settledWithin())) {
        break;
      }
    }
    return new Warmup(rates, Warmup.settled(rates, Warmup.window(plan), plan.settledWithin()));
  }
}
