package dev.sluice.loadtests.consumer;

import dev.sluice.quarantine.consumer.EventHandler;
import dev.sluice.quarantine.consumer.QuarantiningConsumer;
import dev.sluice.quarantine.consumer.WrapperConfig;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the wrapper under test the way every consumer benchmark does: against the embedded broker, store and queues,
 * with the benchmark's schema registry, a configuration and handler of the caller's, and meters the caller reads.
 */
public final class WrapperFactory {
  /** The wrapper's counter of records quarantined, summed over its tags. */
  public static final String QUARANTINED = "sluice.consumer.events.quarantined";

  private final Vertx vertx;
  private final String bootstrap;
  private final QuarantineStore store;
  private final SqsClient sqs;
  private final String queuePrefix;
  private final SchemaRegistry registry;

  public WrapperFactory(Vertx vertx, String bootstrap, QuarantineStore store, SqsClient sqs, String queuePrefix,
      SchemaRegistry registry) {
    this.vertx = vertx;
    this.bootstrap = bootstrap;
    this.store = store;
    this.sqs = sqs;
    this.queuePrefix = queuePrefix;
    this.registry = registry;
  }

  public QuarantiningConsumer build(WrapperConfig config, EventHandler handler, MeterRegistry meters) {
    return build(config, handler, meters, b -> b);
  }

  /** As {@link #build(WrapperConfig, EventHandler, MeterRegistry)}, with more settings of the builder. */
  public QuarantiningConsumer build(WrapperConfig config, EventHandler handler, MeterRegistry meters,
      UnaryOperator<QuarantiningConsumer.Builder> more) {
    return more.apply(QuarantiningConsumer.builder(config)
        .kafka(Map.of("bootstrap.servers", bootstrap))
        .store(store.table().dynamo(), store.table().name())
        .queues(sqs, queuePrefix)
        .schemas(registry)
        .meters(meters)
        .handler(handler))
        .build(vertx);
  }

  /** How many records the wrapper that reports to {@code meters} has quarantined so far. */
  public static long quarantined(MeterRegistry meters) {
    return (long) meters.find(QUARANTINED).counters().stream().mapToDouble(Counter::count).sum();
  }
}
