package dev.sluice.loadtests.consumer;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The tightest baseline a consumer has: a bare {@link KafkaConsumer} poll loop on a thread of its own, handing each
 * record to {@code perRecord} as it comes and committing asynchronously every second (the wrapper's commit interval),
 * synchronously at the end. No retries, no quarantine, no ordering of its own, no event loop. Its next poll starts as
 * soon as a poll's records are handed over, while the client fetches the next ones in the background, so the wrapper
 * (which asks for its next poll before it handles a poll's records) cannot beat it doing the same work per record.
 * A verticle only so that it is started and stopped as every measured variant is.
 */
public final class BarePollLoop extends VerticleBase {
  private final Vertx vertx;
  private final Map<String, Object> props;
  private final String topic;
  private final Consumer<ConsumerRecord<byte[], byte[]>> perRecord;
  private volatile boolean running = true;
  private Thread thread;

  /** @param props the consumer's settings ({@link ConsumerProps#of}): its group, byte-array deserializers */
  public BarePollLoop(Vertx vertx, Map<String, Object> props, String topic,
      Consumer<ConsumerRecord<byte[], byte[]>> perRecord) {
    this.vertx = vertx;
    this.props = Map.copyOf(props);
    this.topic = topic;
    this.perRecord = perRecord;
  }

  @Override
  public Future<?> start() {
    thread = new Thread(this::run, "bare-poll-loop-" + props.get("group.id"));
    thread.setDaemon(true);
    thread.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    running = false;
    return vertx.executeBlocking(() -> {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      return null;
    }, false);
  }

  private void run() {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      long nextCommit = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          perRecord.accept(r);
        }
        if (System.nanoTime() >= nextCommit) {
          consumer.commitAsync();
          nextCommit += TimeUnit.SECONDS.toNanos(1);
        }
      }
      consumer.commitSync();
    }
  }
}
