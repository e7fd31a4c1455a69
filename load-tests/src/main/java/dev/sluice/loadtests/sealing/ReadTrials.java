package dev.sluice.loadtests.sealing;

import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.loadtests.consumer.ConsumerBenchmark;
import dev.sluice.loadtests.consumer.CountingHandler;
import dev.sluice.loadtests.consumer.RunMeter;
import dev.sluice.loadtests.consumer.WrapperFactory;
import dev.sluice.loadtests.method.Trial;
import dev.sluice.quarantine.consumer.QuarantiningConsumer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The consumer part's variants, one {@link Trial} each: the wrapper, with the empty counting handler, in a group of its
 * own reading its topic from the start, timed from the first record handed over to the last ({@link RunMeter}). The
 * sealed variant's group is granted the keys ({@code unsealWith}); the plain one reads the same data of the unmarked
 * type, so it never unseals. After each run the wrapper's own meters say what it did: every sealed record unsealed
 * (not withheld, not a seal failure), and no plain one touched; anything else is kept as a problem for the report.
 */
final class ReadTrials {
  static final String UNSEALS = "sluice.consumer.unseals";

  /**
   * @param wrappers builds each wrapper on the suite's store, queues and registry
   * @param meter times each run
   * @param keys the grant of the sealed variant's group (warm: every subject's key in its cache)
   */
  record Parts(WrapperFactory wrappers, RunMeter meter, SubjectKeys keys) {}

  private final Parts parts;
  private final int events;
  private final List<String> problems = new ArrayList<>();
  private int groups;

  ReadTrials(Parts parts, int events) {
    this.parts = parts;
    this.events = events;
  }

  /** The wrapper of a granted group on sealed records: each record's three values opened before the handler. */
  Trial granted(String topic) {
    return () -> {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      RunMeter.Run run = read("granted, sealed", topic, meters, b -> b.unsealWith(parts.keys()));
      long unsealed = unseals(meters, "unsealed");
      if (run.complete() && unsealed != run.records()) {
        problems.add(String.format("a granted run unsealed %,d of its %,d records (other results: %,d)", unsealed,
            run.records(), unseals(meters, null) - unsealed));
      }
      return run.rate();
    };
  }

  /** The wrapper on the same data of the unmarked type: nothing to unseal. */
  Trial plain(String topic) {
    return () -> {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      RunMeter.Run run = read("plain", topic, meters, b -> b);
      long touched = unseals(meters, null);
      if (touched != 0) {
        problems.add(String.format("a plain run unsealed %,d records: they were not plain", touched));
      }
      return run.rate();
    };
  }

  /** What did not go as the variants claim, for the report; empty when every run read what it was meant to. */
  List<String> problems() {
    return List.copyOf(problems);
  }

  private RunMeter.Run read(String label, String topic, MeterRegistry meters,
      UnaryOperator<QuarantiningConsumer.Builder> more) throws Exception {
    CountingHandler counter = new CountingHandler();
    String group = "bench-sealing-g" + (++groups) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    RunMeter.Run run = parts.meter().measure(label, RunMeter.verticle(parts.wrappers().build(
        ConsumerBenchmark.config(group, topic), counter, meters, more)), counter, counter::calls, events);
    if (!run.complete()) {
      problems.add(String.format("a %s run read %,d of its %,d records within the phase limit", label,
          run.records(), events));
    }
    return run;
  }

  /** The wrapper's unseal counter, summed over its streams, for one result ({@code null}: every result). */
  static long unseals(MeterRegistry meters, String result) {
    var search = meters.find(UNSEALS);
    if (result != null) {
      search = search.tag("result", result);
    }
    return (long) search.counters().stream().mapToDouble(Counter::count).sum();
  }
}
