package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.ConsumerBenchmark;
import dev.sluice.loadtests.consumer.CountingHandler;
import dev.sluice.loadtests.consumer.RunMeter;
import dev.sluice.loadtests.consumer.WrapperFactory;
import dev.sluice.quarantine.consumer.Concurrency;
import dev.sluice.quarantine.consumer.EventHandler;
import dev.sluice.quarantine.consumer.QuarantiningConsumer;
import dev.sluice.quarantine.consumer.WrapperConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The Sluice wrapper ({@code QuarantiningConsumer}) as a contender: the consumer benchmark's policy (500 records a
 * poll, short in-place retries, the delayed tier off) with the concurrency asked for.
 */
final class SluiceRunner {
  /** Per partition and per consumer: 256 records of different keys of one partition, 768 over the 3 partitions. */
  static final Concurrency BY_KEY = Concurrency.byKey(256, 768);
  static final String BY_KEY_TEXT = text(BY_KEY);
  /**
   * A bound low enough that the 2 ms wait, not the CPU, sets the rate: 24 in flight make at most 12,000 events/s,
   * under a seventh of what {@link #BY_KEY} reached on the slowest machine seen (a median of 87,872 events/s). Its ratio to the strictly ordered wrapper is
   * timer over timer, so it holds when the machine's speed moves; {@link #BY_KEY}'s is CPU over timer, and does not.
   * (With 48 in flight the rate still moved 15 % with the machine: 17,400 to 20,500 events/s in one run.)
   */
  static final Concurrency BOUNDED = Concurrency.byKey(8, 24);
  static final String BOUNDED_TEXT = text(BOUNDED);

  private final WrapperFactory wrappers;

  /** "byKey(256, 768)": as the concurrency is written in a service's code. */
  static String text(Concurrency c) {
    return "byKey(" + c.perPartition() + ", " + c.perConsumer() + ")";
  }

  SluiceRunner(WrapperFactory wrappers) {
    this.wrappers = wrappers;
  }

  Contender contender(String label, String topic, String group, Concurrency concurrency, EventHandler handler,
      CountingHandler clock, LongSupplier done, MeterRegistry meters) {
    return contender(label, topic, group, concurrency, handler, clock, done, meters, b -> b);
  }

  /** As the other, with more settings of the wrapper's builder (e.g. a quarantine log). */
  Contender contender(String label, String topic, String group, Concurrency concurrency, EventHandler handler,
      CountingHandler clock, LongSupplier done, MeterRegistry meters, UnaryOperator<QuarantiningConsumer.Builder> more) {
    WrapperConfig config = ConsumerBenchmark.config(group, topic).withConcurrency(concurrency);
    return new Contender(label, RunMeter.verticle(wrappers.build(config, handler, meters, more)), clock, done);
  }
}
