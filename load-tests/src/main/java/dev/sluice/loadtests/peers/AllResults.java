package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.method.Results;
import dev.sluice.loadtests.method.Warmup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of the peers benchmark run in groups of their own rounds ((1), (2) with (3), (4)); the report's method
 * line covers them all, so their results are put together into one (the variants' names differ between groups).
 */
final class AllResults {
  private AllResults() {}

  /** @throws IllegalArgumentException when the groups ran by different plans or share a variant's name */
  static Results of(List<Results> groups) {
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("no results");
    }
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    Map<String, List<Long>> gcs = new LinkedHashMap<>();
    Map<String, Warmup> warmups = new LinkedHashMap<>();
    for (Results g : groups) {
      if (!g.plan().equals(groups.get(0).plan())) {
        throw new IllegalArgumentException("results of different plans: " + g.plan() + ", " + groups.get(0).plan());
      }
      g.rates().forEach((name, r) -> {
        if (rates.putIfAbsent(name, r) != null) {
          throw new IllegalArgumentException("two groups have a variant named " + name);
        }
      });
      gcs.putAll(g.gcs());
      warmups.putAll(g.warmups());
    }
    return new Results(groups.get(0).plan(), rates, gcs, warmups);
  }
}
