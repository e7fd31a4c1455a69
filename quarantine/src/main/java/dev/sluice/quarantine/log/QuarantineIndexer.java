package dev.sluice.quarantine.log;

import dev.sluice.quarantine.store.ConsumerWrites;
import dev.sluice.quarantine.store.DynamoQuarantineCodec;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.StoreException;
import dev.sluice.storekit.dynamo.AttributeJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of the quarantine log: a member of the log's indexer group that writes each appended item into the
 * store, with the same conditional create-if-absent the worker would have used (so an item indexed twice, after a
 * rebalance or a crash, is written once, and an item an operator already settled is left as it is). A log partition's
 * offset is committed only past items the store holds, so the committed offset is the "indexed up to" that
 * {@link QuarantineLog#awaitIndexed} waits for.
 *
 * <p>Runs on a thread of its own (the Kafka consumer is not thread-safe, and it waits for the store's answers). A
 * store outage is waited out with growing pauses while the consumer keeps polling (so it stays in its group): the
 * records not written are sought back to and fetched again. An item that can never be written (its record does not
 * decode, or the store refuses it for what it is) is counted in {@code sluice_quarantine_log_refused_total}, logged,
 * and passed over: it stays in the log for the topic's retention.
 */
public final class QuarantineIndexer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QuarantineIndexer.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration STORE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(30);
  private static final Duration[] DELAY_BUCKETS = java.util.stream.LongStream.of(5, 10, 25, 50, 100, 250, 500, 1_000,
      2_500, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000).mapToObj(Duration::ofMillis).toArray(Duration[]::new);

  private final LogSettings settings;
  private final ConsumerWrites writes;
  /** The consumer's properties: it is made on the indexer's own thread (making it may block: a login, names). */
  private final Map<String, Object> consumerProps;
  /** Made by {@link #run}; read by {@link #close} to wake it. */
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private final Clock clock;
  private final Counter indexed;
  private final Counter refused;
  private final Timer delay;
  private final Thread thread;
  private volatile boolean running = true;
  private boolean started;

  public QuarantineIndexer(Map<String, String> kafkaProps, LogSettings settings, ConsumerWrites writes,
      MeterRegistry meters, Clock clock) {
    this.settings = settings;
    this.writes = writes;
    this.clock = clock;
    Map<String, Object> props = QuarantineLog.clientProps(kafkaProps);
    props.put("group.id", settings.indexerGroup());
    // A process restarted in place (static membership) takes its log partitions back at once, as its consumer does,
    // instead of after the dead member's session timeout: a new owner of a partition waits for the indexer.
    String instance = kafkaProps.get("group.instance.id");
    if (instance != null) {
      props.put("group.instance.id", instance + ".indexer");
    }
    props.put("enable.auto.commit", "false");
    props.put("auto.offset.reset", "earliest");
    props.put("max.poll.records", Integer.toString(ConsumerWrites.MAX_BATCH_ITEMS * 5));
    this.consumerProps = props;
    this.indexed = Counter.builder("sluice.quarantine.log.indexed")
        .tag("topic", settings.topic())
        .description("Quarantine items the indexer wrote from the quarantine log into the store")
        .register(meters);
    this.refused = Counter.builder("sluice.quarantine.log.refused")
        .tag("topic", settings.topic())
        .description("Quarantine-log records that can never be written to the store (left in the log)")
        .register(meters);
    this.delay = Timer.builder("sluice.quarantine.log.index.delay")
        .tag("topic", settings.topic())
        .description("From an item's append to the quarantine log until the store holds it: how long it is not "
            + "findable in the console")
        .publishPercentileHistogram()
        // Buckets every registry keeps (a percentile histogram is a Prometheus-side thing): what "findable within"
        // is read off in the benchmarks.
        .serviceLevelObjectives(DELAY_BUCKETS)
        .register(meters);
    this.thread = new Thread(this::run, "sluice-quarantine-indexer");
    this.thread.setDaemon(true);
  }

  public synchronized void start() {
    started = true;
    thread.start();
  }

  private void run() {
    KafkaConsumer<byte[], byte[]> made = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    // Published before {@code running} is read: a close that found no consumer to wake is seen below.
    consumer = made;
    int failures = 0;
    try {
      made.subscribe(List.of(settings.topic()));
      while (running) {
        ConsumerRecords<byte[], byte[]> records = made.poll(POLL);
        if (records.isEmpty()) {
          continue;
        }
        try {
          index(records);
          failures = 0;
        } catch (RuntimeException e) {
          // The store is down (or slow): what was not written is fetched again after a pause; nothing is committed
          // past it.
          failures++;
          long pause = Math.min(MAX_PAUSE.toMillis(), 250L << Math.min(failures, 7));
          LOG.warn("indexing the quarantine log failed (try {}), again in {} ms: {}", failures, pause, e.toString());
          sleep(pause);
        }
      }
    } catch (WakeupException stopping) {
      // close()
    } finally {
      made.close(Duration.ofSeconds(5));
    }
  }

  /** Writes a poll's items, partition by partition, committing each partition's offset past what the store holds. */
  private void index(ConsumerRecords<byte[], byte[]> records) {
    List<TopicPartition> partitions = List.copyOf(records.partitions());
    for (int k = 0; k < partitions.size(); k++) {
      TopicPartition tp = partitions.get(k);
      List<ConsumerRecord<byte[], byte[]>> of = records.records(tp);
      int from = 0;
      try {
        while (from < of.size()) {
          int to = Math.min(of.size(), from + ConsumerWrites.MAX_BATCH_ITEMS);
          write(of.subList(from, to));
          from = to;
          consumer.commitSync(Map.of(tp, new OffsetAndMetadata(of.get(from - 1).offset() + 1)));
        }
      } catch (RuntimeException e) {
        // Fetched again once the store answers: this partition from its first record not written, and the partitions
        // not reached yet from their first record. Those already written and committed are not fetched again.
        consumer.seek(tp, of.get(from).offset());
        for (TopicPartition later : partitions.subList(k + 1, partitions.size())) {
          consumer.seek(later, records.records(later).get(0).offset());
        }
        throw e;
      }
    }
  }

  private void write(List<ConsumerRecord<byte[], byte[]>> chunk) {
    List<QuarantineItem> items = new ArrayList<>(chunk.size());
    List<Long> appendedAt = new ArrayList<>(chunk.size());
    for (ConsumerRecord<byte[], byte[]> r : chunk) {
      try {
        items.add(DynamoQuarantineCodec.fromAttributes(AttributeJson.decode(r.value())));
        appendedAt.add(r.timestamp());
      } catch (RuntimeException undecodable) {
        refused.increment();
        LOG.error("quarantine log {}-{}@{} is not an item and is left in the log: {}", r.topic(), r.partition(),
            r.offset(), undecodable.toString());
      }
    }
    if (items.isEmpty()) {
      return;
    }
    try {
      store(items);
      countIndexed(appendedAt);
    } catch (StoreException.Refused batchRefused) {
      // Which item the store refuses for good is told by writing each alone; the others are written.
      for (int i = 0; i < items.size(); i++) {
        try {
          store(List.of(items.get(i)));
          countIndexed(List.of(appendedAt.get(i)));
        } catch (StoreException.Refused refusedAlone) {
          refuse(items.get(i), refusedAlone);
        }
      }
    }
  }

  /**
   * Writes {@code items} (conditional creates, one transaction), waiting for the store on this thread. Throws the
   * store's {@link StoreException.Refused} as it is (a refusal for good), and anything else as a failure to try again.
   */
  private void store(List<QuarantineItem> items) {
    try {
      writes.createAllIfAbsent(items).toCompletionStage().toCompletableFuture()
          .get(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StoreException.Refused refusal) {
        throw refusal;
      }
      throw new IllegalStateException("the store did not take " + items.size() + " item(s)", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the store did not answer in " + STORE_TIMEOUT, e);
    }
  }

  private void refuse(QuarantineItem item, StoreException.Refused why) {
    refused.increment();
    LOG.error("the store refuses quarantine item {} for good ({}); it is left in the quarantine log", item.id(),
        why.reason());
  }

  private void countIndexed(List<Long> appendedAt) {
    long now = clock.millis();
    for (long at : appendedAt) {
      delay.record(Math.max(0, now - at), TimeUnit.MILLISECONDS);
    }
    indexed.increment(appendedAt.size());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops polling and leaves the group; what was not committed is indexed by the next member. */
  @Override
  public synchronized void close() {
    running = false;
    if (!started) {
      return;
    }
    KafkaConsumer<byte[], byte[]> made = consumer;
    if (made != null) {
      made.wakeup();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
