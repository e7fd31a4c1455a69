package dev.sluice.loadtests.consumer;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The tightest baseline a consumer has: a bare {@link KafkaConsumer} poll loop in the wrapper's shape, one thread
 * polling and one handling, handing each record to {@code perRecord} and committing what was handled asynchronously
 * every second (the wrapper's commit interval), synchronously at the end. No retries, no quarantine, no ordering of
 * its own, no event loop.
 *
 * <p>Why two threads: the wrapper polls on a thread of its own and handles on its Vert.x context, so on two cores it
 * parses the next fetch while it decodes and validates the last one. A loop that does both on one thread is no
 * ceiling for it (a full run read the wrapper at 1.05 of such a loop). Here the polling thread hands each poll to the
 * handling thread through a queue of {@value #HANDOFF_POLLS} polls and waits while it is full: the same two threads
 * with nothing else on them, which the wrapper cannot beat doing the same work per record. A verticle only so that it
 * is started and stopped as every measured variant is.
 */
public final class BarePollLoop extends VerticleBase {
  /** How many polls the polling thread may be ahead of the handling thread. */
  static final int HANDOFF_POLLS = 2;
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  private static final long COMMIT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Vertx vertx;
  private final Map<String, Object> props;
  private final String topic;
  private final Consumer<ConsumerRecord<byte[], byte[]>> perRecord;
  private final BlockingQueue<ConsumerRecords<byte[], byte[]>> handoff = new ArrayBlockingQueue<>(HANDOFF_POLLS);
  /** The next offset to commit per partition: written by the handling thread, read by the polling one. */
  private final Map<TopicPartition, OffsetAndMetadata> handled = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

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
    String group = String.valueOf(props.get("group.id"));
    threads.add(daemon("bare-poll-loop-" + group, this::poll));
    threads.add(daemon("bare-poll-loop-handler-" + group, this::handleHandedOver));
    threads.forEach(Thread::start);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    running = false;
    return vertx.executeBlocking(() -> {
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
      return null;
    }, false);
  }

  private void poll() {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      long nextCommit = System.nanoTime() + COMMIT_EVERY_NANOS;
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
        if (!records.isEmpty()) {
          handOver(records);
        }
        if (System.nanoTime() >= nextCommit && !handled.isEmpty()) {
          consumer.commitAsync(Map.copyOf(handled), null);
          nextCommit += COMMIT_EVERY_NANOS;
        }
      }
      // The handling thread may still finish a poll after this; the measured run has ended by then, and nothing
      // reads this group's offsets afterwards.
      if (!handled.isEmpty()) {
        consumer.commitSync(Map.copyOf(handled));
      }
    }
  }

  /** Waits while the queue is full, as the wrapper's paused partitions wait for their worker. */
  private void handOver(ConsumerRecords<byte[], byte[]> records) {
    try {
      while (running && !handoff.offer(records, POLL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        // full: the handling thread is behind
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handleHandedOver() {
    try {
      while (running) {
        ConsumerRecords<byte[], byte[]> records = handoff.poll(POLL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (records != null) {
          handle(records);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> ofPartition = records.records(tp);
      for (ConsumerRecord<byte[], byte[]> r : ofPartition) {
        perRecord.accept(r);
      }
      handled.put(tp, new OffsetAndMetadata(ofPartition.get(ofPartition.size() - 1).offset() + 1));
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }
}
