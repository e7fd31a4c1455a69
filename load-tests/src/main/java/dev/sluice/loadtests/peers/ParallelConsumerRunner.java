package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.ConsumerProps;
import dev.sluice.loadtests.consumer.CountingHandler;
import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Confluent Parallel Consumer (core) as a contender: {@link ProcessingOrder#KEY} (records of one key in order,
 * different keys side by side, as the wrapper's {@code Concurrency.byKey}), at most {@code maxConcurrency} records in
 * the user function at once, its default commit mode. Its user function runs on a pool of its own threads, so a
 * handler that waits blocks one of them: that is its model, and how {@code perRecord} is meant to wait.
 */
final class ParallelConsumerRunner {
  private final Vertx vertx;
  private final String bootstrap;

  ParallelConsumerRunner(Vertx vertx, String bootstrap) {
    this.vertx = vertx;
    this.bootstrap = bootstrap;
  }

  Contender contender(String label, String topic, String group, int maxConcurrency,
      Consumer<ConsumerRecord<byte[], byte[]>> perRecord, CountingHandler clock) {
    return new Contender(label, new Processor(topic, group, maxConcurrency, perRecord), clock, clock::calls);
  }

  private final class Processor extends VerticleBase {
    private final String topic;
    private final String group;
    private final int maxConcurrency;
    private final Consumer<ConsumerRecord<byte[], byte[]>> perRecord;
    private ParallelStreamProcessor<byte[], byte[]> processor;

    Processor(String topic, String group, int maxConcurrency, Consumer<ConsumerRecord<byte[], byte[]>> perRecord) {
      this.topic = topic;
      this.group = group;
      this.maxConcurrency = maxConcurrency;
      this.perRecord = perRecord;
    }

    @Override
    public Future<?> start() {
      return vertx.executeBlocking(() -> {
        ParallelConsumerOptions<byte[], byte[]> options = ParallelConsumerOptions.<byte[], byte[]>builder()
            .consumer(new KafkaConsumer<>(ConsumerProps.of(bootstrap, group)))
            .ordering(ProcessingOrder.KEY)
            .maxConcurrency(maxConcurrency)
            // Its check that auto-commit is off reads KafkaConsumer internals by reflection, and knows only the
            // delegate class names of kafka-clients 3.x; with 4.x it throws. ConsumerProps sets auto-commit off.
            .ignoreReflectiveAccessExceptionsForAutoCommitDisabledCheck(true)
            .build();
        processor = ParallelStreamProcessor.createEosStreamProcessor(options);
        processor.subscribe(List.of(topic));
        processor.poll(context -> context.streamConsumerRecords().forEach(perRecord));
        return null;
      }, false);
    }

    @Override
    public Future<?> stop() {
      return vertx.executeBlocking(() -> {
        processor.close();
        return null;
      }, false);
    }
  }
}
