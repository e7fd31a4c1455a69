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
  static final String BY_KEY_TEXT = "byKey(" + BY_KEY.perPartition() + ", " + BY_KEY.perConsumer() + ")";

  private final WrapperFactory wrappers;

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
