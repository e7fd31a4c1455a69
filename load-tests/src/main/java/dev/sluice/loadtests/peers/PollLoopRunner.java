package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.CountingHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The baseline: a bare {@link KafkaConsumer} poll loop on a thread of its own, handing each record to
 * {@code perRecord} and committing asynchronously every second (the wrapper's commit interval), synchronously at
 * the end. No retries, no quarantine, no ordering of its own.
 */
final class PollLoopRunner {
  private final Vertx vertx;
  private final String bootstrap;

  PollLoopRunner(Vertx vertx, String bootstrap) {
    this.vertx = vertx;
    this.bootstrap = bootstrap;
  }

  Contender contender(String label, String topic, String group, Consumer<ConsumerRecord<byte[], byte[]>> perRecord,
      CountingHandler clock) {
    return new Contender(label, new Loop(topic, group, perRecord), clock, clock::calls);
  }

  private final class Loop extends VerticleBase {
    private final String topic;
    private final String group;
    private final Consumer<ConsumerRecord<byte[], byte[]>> perRecord;
    private volatile boolean running = true;
    private Thread thread;

    Loop(String topic, String group, Consumer<ConsumerRecord<byte[], byte[]>> perRecord) {
      this.topic = topic;
      this.group = group;
      this.perRecord = perRecord;
    }

    @Override
    public Future<?> start() {
      thread = new Thread(this::run, "peers-poll-loop-" + group);
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
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(ConsumerProps.of(bootstrap, group))) {
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
}
