package dev.sluice.loadtests.ingest;

import dev.sluice.ingest.kafka.UnsafeProducerSetting;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.event.KafkaHeader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Figure (a), the ceiling of ingest: plain {@link KafkaProducer}s appending exactly what the gateway appends for a
 * benchmark event (the product id as key, the ~1 KB data as value, the CloudEvents {@code ce_*} headers), to the same
 * topic, with the gateway's own producer settings ({@link #producerConfig}), and as many producers as the gateway has
 * (one per verticle instance), each fed by its own thread with up to {@value #OUTSTANDING} records waiting for their
 * acknowledgement, so that neither the number of producers nor the loop feeding them holds the ceiling down.
 *
 * <p>Why it came out below the gateway's batch ingest before (28,499 vs 43,326 records/s in one run, so (b) read 1.52
 * of its ceiling): it ran first, on a cold JVM and broker, so its 3 s warm-up and 10 s measurement were the JIT's
 * warm-up of the broker and the producer (a cold first run of one producer gave 35,000 records/s, the same loop warm
 * 94,000 to 136,000); and it was one producer (one I/O thread, one connection, at most 5 requests in flight) against
 * the gateway's two (warm, in the same rounds: a median of 128,000 against 149,000 records/s). Now every variant is
 * warmed until its rate settles, the variants interleave, and the producers are as many as the gateway's. The bound
 * on records outstanding keeps the loop from filling the producers' 32 MiB buffers, which only adds queueing: it
 * costs no throughput (144,000 to 151,000 records/s bounded, 136,000 to 160,000 unbounded, three rounds each).
 */
final class RawProducerLoad implements AutoCloseable {
  /** Records sent and not yet acknowledged, per producer. */
  static final int OUTSTANDING = 1_000;

  private final String topic;
  private final ProductEvents events;
  private final List<KafkaProducer<String, byte[]>> producers = new ArrayList<>();
  private final LongAdder failed = new LongAdder();
  private volatile String firstFailure;

  /**
   * @param clientProps the gateway's Kafka client properties ({@code sluice.kafka.*}, bootstrap servers included)
   * @param producers as many as the gateway has (one per verticle instance)
   */
  RawProducerLoad(Map<String, String> clientProps, String topic, ProductEvents events, int producers) {
    this.topic = topic;
    this.events = events;
    for (int i = 0; i < producers; i++) {
      KafkaProducer<String, byte[]> p = new KafkaProducer<>(producerConfig(clientProps, CpuAttribution.CEILING_CLIENT_ID + i),
          new StringSerializer(), new ByteArraySerializer());
      // The topic's metadata now, not in the first measured run.
      p.partitionsFor(topic);
      this.producers.add(p);
    }
  }

  /**
   * The gateway's producer settings as its appender makes them from the same client properties (see the ingest
   * module's {@code ProducerConfigs.checked}): the properties as given; {@code acks=all} where they are silent, and
   * idempotence too unless they weaken durability (which the gateway refuses unless told to allow it, and then
   * honours as given); everything else (linger, batch size, compression, requests in flight) Kafka's default, as in
   * the gateway.
   */
  static Map<String, Object> producerConfig(Map<String, String> clientProps, String clientId) {
    Map<String, Object> config = new HashMap<>(clientProps);
    config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    // The gateway's own check of what weakens durability.
    if (UnsafeProducerSetting.find(clientProps).isEmpty()) {
      config.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    }
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return config;
  }

  int producers() {
    return producers.size();
  }

  /** The sends that failed in measured windows, described; null when none did. */
  String failures() {
    long n = failed.sum();
    return n == 0 ? null : n + " sends failed, first: " + firstFailure;
  }

  /** One run: a ramp, then {@code measure}; returns acknowledged records per second of the measurement. */
  double run(Duration ramp, Duration measure) throws InterruptedException {
    LongAdder acked = new LongAdder();
    MeasureWindow window = new MeasureWindow();
    List<Thread> senders = new ArrayList<>();
    for (KafkaProducer<String, byte[]> producer : producers) {
      Thread t = new Thread(() -> send(producer, window, acked), CpuAttribution.CEILING_THREADS + senders.size());
      senders.add(t);
      t.start();
    }
    MeasureWindow.Counted counted = window.run(ramp, measure, acked);
    for (Thread t : senders) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    // Everything sent is acknowledged before the next variant runs.
    producers.forEach(KafkaProducer::flush);
    return counted.perSecond();
  }

  private void send(KafkaProducer<String, byte[]> producer, MeasureWindow window, LongAdder acked) {
    Semaphore outstanding = new Semaphore(OUTSTANDING);
    try {
      while (!window.stopping()) {
        if (!outstanding.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        producer.send(record(events.cloudEvent()), (metadata, err) -> {
          outstanding.release();
          if (!window.measuring()) {
            return;
          }
          if (err == null) {
            acked.increment();
          } else {
            failed.increment();
            if (firstFailure == null) {
              firstFailure = err.toString();
            }
          }
        });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ProducerRecord<String, byte[]> record(CloudEvent e) {
    List<Header> headers = new ArrayList<>();
    for (KafkaHeader h : CloudEventKafkaBinding.headers(e)) {
      headers.add(new RecordHeader(h.key(), h.value()));
    }
    // The gateway keys by the type's partition-key pointer, /id for products: the product id, here the event id.
    return new ProducerRecord<>(topic, null, e.id(), e.data().getBytes(StandardCharsets.UTF_8), headers);
  }

  @Override
  public void close() {
    producers.forEach(p -> p.close(Duration.ofSeconds(10)));
  }
}
