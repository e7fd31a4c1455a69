package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a handler around a Vert.x Kafka consumer so that the partition never jams and nothing is skipped silently.
 *
 * <p>Each polled batch is handled partition by partition, records of one partition strictly in order, partitions in
 * parallel. A record either reaches the handler (with in-place retries) or is written to the quarantine store; only
 * when one of those is done does its offset count as handled. Offsets are committed after the batch, up to the last
 * handled record of each partition. If the store cannot be written, the partition is rewound to that record and read
 * again later: no offset is ever committed past a record that is neither handled nor durably quarantined.
 *
 * <p>Deserialization is byte[] for keys and values, so a record can never fail to deserialize inside poll (which would
 * jam the consumer): every byte is judged by {@link Triage} instead.
 *
 * <p>Runs on the Vert.x context that calls {@link #start()} (an event loop); handler calls, timers and commits all
 * happen there, and the Kafka client itself runs its blocking calls on its own thread.
 */
public final class QuarantiningConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(QuarantiningConsumer.class);

  private final Vertx vertx;
  private final WrapperConfig config;
  private final Map<String, String> kafkaProps;
  private final Triage triage;
  private final QuarantineStore store;
  private final RedriveQueue redriveQueue;
  private final ConsumerMetrics metrics;
  private final Clock clock;
  private final HandlerInvoker invoker;
  private final RedriveDrainer drainer;

  private KafkaConsumer<byte[], byte[]> consumer;
  private volatile boolean running;
  private Promise<Void> pollLoopDone;

  public QuarantiningConsumer(
      Vertx vertx, WrapperConfig config, Map<String, String> kafkaProps, Triage triage, QuarantineStore store,
      RedriveQueue redriveQueue, ConsumerMetrics metrics, EventHandler handler, RandomGenerator random, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.kafkaProps = Map.copyOf(kafkaProps);
    this.triage = triage;
    this.store = store;
    this.redriveQueue = redriveQueue;
    this.metrics = metrics;
    this.clock = clock;
    this.invoker = new HandlerInvoker(vertx, handler, config, random, metrics, clock);
    this.drainer = new RedriveDrainer(vertx, config, triage, store, redriveQueue, metrics, invoker, clock);
  }

  /** The client properties the wrapper insists on, over whatever the caller passed. */
  Map<String, String> consumerProperties() {
    Map<String, String> props = new HashMap<>(kafkaProps);
    props.put("group.id", config.group());
    // Offsets are committed by the wrapper, and only past handled or quarantined records.
    props.put("enable.auto.commit", "false");
    props.putIfAbsent("auto.offset.reset", "earliest");
    props.put("max.poll.records", Integer.toString(config.maxPollRecords()));
    props.put("max.poll.interval.ms", Long.toString(config.maxPollInterval().toMillis()));
    props.remove("key.deserializer");
    props.remove("value.deserializer");
    return props;
  }

  /** Makes sure the group's redrive queue exists, subscribes, and starts the poll and redrive loops. */
  public Future<Void> start() {
    Map<String, Object> props = new HashMap<>(consumerProperties());
    // Constructing a Kafka consumer resolves the bootstrap addresses: blocking, so it is done on a worker, and only
    // the wrapping (which binds the consumer to this context) happens here.
    return vertx.executeBlocking(() -> new org.apache.kafka.clients.consumer.KafkaConsumer<>(
            props, new ByteArrayDeserializer(), new ByteArrayDeserializer()), false)
        .compose(raw -> {
          consumer = KafkaConsumer.create(vertx, raw);
          consumer.exceptionHandler(e -> LOG.warn("consumer {}: {}", config.group(), e.toString()));
          return redriveQueue.ensureQueue(config.group());
        })
        .compose(url -> consumer.subscribe(config.topics()))
        .onSuccess(v -> {
          running = true;
          pollLoopDone = Promise.promise();
          pollLoop();
          drainer.start();
          LOG.info("consumer group {} reading {}", config.group(), config.topics());
        });
  }

  /** Lets the batch in hand finish (bounded), then closes the Kafka consumer. Nothing is committed past it. */
  public Future<Void> stop() {
    if (!running) {
      return consumer == null ? Future.succeededFuture() : consumer.close();
    }
    running = false;
    return Future.join(
            pollLoopDone.future().timeout(config.maxPollInterval().toMillis(), TimeUnit.MILLISECONDS),
            drainer.stop())
        .eventually(() -> consumer.close())
        .mapEmpty();
  }

  private void pollLoop() {
    if (!running) {
      pollLoopDone.tryComplete();
      return;
    }
    consumer.poll(Duration.ofMillis(500))
        .compose(this::handleBatch)
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("consumer group {}: batch not completed, will read again: {}", config.group(), ar.cause().toString());
          }
          boolean pause = ar.failed() || Boolean.TRUE.equals(ar.result());
          if (pause && running) {
            vertx.setTimer(config.errorBackoff().toMillis(), t -> pollLoop());
          } else {
            pollLoop();
          }
        });
  }

  /** Handles a batch and commits; true when some partition had to be rewound (so the next poll waits a little). */
  private Future<Boolean> handleBatch(KafkaConsumerRecords<byte[], byte[]> batch) {
    if (batch.isEmpty()) {
      return Future.succeededFuture(false);
    }
    ConsumerRecords<byte[], byte[]> records = batch.records();
    List<Future<PartitionProgress>> perPartition = new ArrayList<>();
    for (org.apache.kafka.common.TopicPartition tp : records.partitions()) {
      perPartition.add(handlePartition(tp, records.records(tp)));
    }
    return Future.all(perPartition).compose(all -> {
      Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
      boolean rewound = false;
      for (int i = 0; i < all.size(); i++) {
        PartitionProgress p = all.resultAt(i);
        if (p.nextOffset() >= 0) {
          commits.put(p.partition(), new OffsetAndMetadata(p.nextOffset(), ""));
        }
        rewound |= p.rewound();
      }
      boolean pause = rewound;
      return commits.isEmpty() ? Future.succeededFuture(pause) : consumer.commit(commits).map(c -> pause);
    });
  }

  /** Progress through one partition's records: the offset to commit next (-1 for none), and whether it rewound. */
  private record PartitionProgress(TopicPartition partition, long nextOffset, boolean rewound) {}

  private Future<PartitionProgress> handlePartition(
      org.apache.kafka.common.TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records) {
    TopicPartition partition = new TopicPartition(tp.topic(), tp.partition());
    Future<PartitionProgress> chain = Future.succeededFuture(new PartitionProgress(partition, -1, false));
    for (ConsumerRecord<byte[], byte[]> record : records) {
      chain = chain.compose(progress -> {
        if (progress.rewound() || !running) {
          return Future.succeededFuture(progress);
        }
        return handleRecord(record)
            .map(v -> new PartitionProgress(partition, record.offset() + 1, false))
            .recover(err -> {
              // Neither handled nor quarantined: read this record again, and commit nothing past it.
              LOG.warn("group {}: {}-{}@{} not handled nor quarantined, rewinding: {}", config.group(),
                  record.topic(), record.partition(), record.offset(), err.toString());
              metrics.storeFailure(triage.streamOf(record.topic()));
              return consumer.seek(partition, record.offset())
                  .map(v -> new PartitionProgress(partition, progress.nextOffset(), true));
            });
      });
    }
    return chain;
  }

  /** Succeeds once the record is handled or durably quarantined; fails only if the quarantine write failed. */
  private Future<Void> handleRecord(ConsumerRecord<byte[], byte[]> record) {
    List<KafkaHeader> headers = new ArrayList<>();
    for (Header h : record.headers()) {
      headers.add(new KafkaHeader(h.key(), h.value()));
    }
    Optional<String> key = Optional.ofNullable(record.key()).map(k -> new String(k, StandardCharsets.UTF_8));
    Triage.Verdict verdict = triage.triage(record.topic(), headers, record.value());
    if (verdict instanceof Triage.Poison poison) {
      return divert(record, headers, key, poison.stream(), poison.eventId(), poison.eventType(), poison.reason(),
          poison.errorClass(), poison.message(), poison.violations(), 0);
    }
    Triage.Ready ready = (Triage.Ready) verdict;
    ConsumedEvent event = new ConsumedEvent(ready.event(), ready.stream(), config.group(), record.topic(),
        record.partition(), record.offset(), key, false);
    return invoker.invoke(event).compose(outcome -> {
      if (outcome instanceof HandlerInvoker.Handled) {
        metrics.handled(ready.stream());
        return Future.succeededFuture();
      }
      boolean rejected = outcome instanceof HandlerInvoker.Rejected;
      Throwable cause = rejected ? ((HandlerInvoker.Rejected) outcome).cause() : ((HandlerInvoker.Exhausted) outcome).cause();
      return divert(record, headers, key, ready.stream(), Optional.of(ready.event().id()),
          Optional.of(ready.event().type()),
          rejected ? QuarantineReason.HANDLER_REJECTED : QuarantineReason.RETRIES_EXHAUSTED,
          cause.getClass().getName(), String.valueOf(cause.getMessage()), List.of(), outcome.attempts());
    });
  }

  private Future<Void> divert(
      ConsumerRecord<byte[], byte[]> record, List<KafkaHeader> headers, Optional<String> key, String stream,
      Optional<String> eventId, Optional<String> eventType, QuarantineReason reason, String errorClass,
      String message, List<Violation> violations, int attempts) {
    Instant now = clock.instant();
    QuarantineItem item = new QuarantineItem(
        QuarantineItem.idFor(config.group(), record.topic(), record.partition(), record.offset()),
        QuarantineStatus.QUARANTINED, stream, config.group(), record.topic(), record.partition(), record.offset(),
        key, record.value(), headers, eventId, eventType, reason, errorClass, message, violations, attempts,
        now, now, Optional.empty(), 0,
        List.of(new AuditEntry(now, "QUARANTINED", "consumer:" + config.group(), reason + ": " + message)));
    return store.quarantine(item).map(write -> {
      if (write == QuarantineStore.Write.CREATED) {
        metrics.quarantined(stream, reason);
        LOG.info("group {}: quarantined {}-{}@{} as {} ({})", config.group(), record.topic(), record.partition(),
            record.offset(), reason, item.id());
      }
      return null;
    });
  }
}
