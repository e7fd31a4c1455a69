package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.ConsumerProps;
import dev.sluice.loadtests.consumer.CountingHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Spring Kafka's dead-letter publishing as a contender, set up in code (no application context): one
 * {@link KafkaMessageListenerContainer} (one consumer for all the partitions, as the wrapper has), a record listener,
 * and a {@link DefaultErrorHandler} with a {@link DeadLetterPublishingRecoverer} and {@code FixedBackOff(0, 0)}: a
 * record whose listener throws is published at once, without retries, to {@code <topic>-dlt}, same partition. The
 * container's defaults otherwise (AckMode.BATCH).
 *
 * <p>Two settings differ from the defaults, both in Spring's favour: the dead-letter producer does not linger (it
 * waits for each send's result, so lingering would only add 5 ms per record), and the error handler logs failed
 * records at DEBUG rather than ERROR with a stack trace (the wrapper does not log each record it quarantines).
 */
final class SpringKafkaRunner {
  private final Vertx vertx;
  private final String bootstrap;

  SpringKafkaRunner(Vertx vertx, String bootstrap) {
    this.vertx = vertx;
    this.bootstrap = bootstrap;
  }

  /** The dead-letter topic Spring publishes {@code topic}'s failed records to; it must exist with as many partitions. */
  static String deadLetterTopic(String topic) {
    return topic + "-dlt";
  }

  /**
   * @param listener throws for the records to dead-letter; counts the others on {@code clock}
   * @param recovered counts the records published to the dead-letter topic
   */
  Contender contender(String label, String topic, String group, Consumer<ConsumerRecord<byte[], byte[]>> listener,
      CountingHandler clock, AtomicLong recovered) {
    return new Contender(label, new Container(topic, group, listener, recovered), clock,
        () -> clock.calls() + recovered.get());
  }

  private final class Container extends VerticleBase {
    private final String topic;
    private final String group;
    private final Consumer<ConsumerRecord<byte[], byte[]>> listener;
    private final AtomicLong recovered;
    private KafkaMessageListenerContainer<byte[], byte[]> container;
    private DefaultKafkaProducerFactory<byte[], byte[]> producers;

    Container(String topic, String group, Consumer<ConsumerRecord<byte[], byte[]>> listener, AtomicLong recovered) {
      this.topic = topic;
      this.group = group;
      this.listener = listener;
      this.recovered = recovered;
    }

    @Override
    public Future<?> start() {
      return vertx.executeBlocking(() -> {
        producers = new DefaultKafkaProducerFactory<>(Map.of("bootstrap.servers", bootstrap, "linger.ms", 0),
            new ByteArraySerializer(), new ByteArraySerializer());
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(new KafkaTemplate<>(producers));
        ConsumerAwareRecordRecoverer counted = (record, consumer, e) -> {
          deadLetters.accept(record, consumer, e);
          recovered.incrementAndGet();
        };
        DefaultErrorHandler errors = new DefaultErrorHandler(counted, new FixedBackOff(0, 0));
        errors.setLogLevel(KafkaException.Level.DEBUG);
        ContainerProperties properties = new ContainerProperties(topic);
        properties.setGroupId(group);
        properties.setMessageListener((MessageListener<byte[], byte[]>) listener::accept);
        container = new KafkaMessageListenerContainer<>(
            new DefaultKafkaConsumerFactory<>(ConsumerProps.of(bootstrap, group)), properties);
        container.setCommonErrorHandler(errors);
        container.start();
        return null;
      }, false);
    }

    @Override
    public Future<?> stop() {
      return vertx.executeBlocking(() -> {
        container.stop();
        producers.destroy();
        return null;
      }, false);
    }
  }
}
