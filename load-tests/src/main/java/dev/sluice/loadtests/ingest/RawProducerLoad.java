package dev.sluice.loadtests.ingest;

import dev.sluice.loadtests.harness.Progress;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.event.KafkaHeader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Figure (a), the baseline: a plain {@link KafkaProducer} loop, as {@code kafka-producer-perf-test} does it. One thread
 * sends asynchronously as fast as the producer takes records (it blocks only when its buffer is full), with
 * {@code acks=all} and idempotence, the gateway's durability settings, and otherwise Kafka's defaults, as the gateway
 * has them. Each record is exactly what the gateway appends for a benchmark event: the product id as key, the ~1 KB
 * data as value, the CloudEvents {@code ce_*} headers; to the same topic, so over the same partitions.
 */
final class RawProducerLoad {
  private final Progress progress;

  RawProducerLoad(Progress progress) {
    this.progress = progress;
  }

  record Result(double recordsPerSecond, long acknowledged, long failed, String firstFailure) {}

  Result run(String bootstrapServers, String topic, ProductEvents events, Duration warmup, Duration measure)
      throws InterruptedException {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
        ProducerConfig.CLIENT_ID_CONFIG, "sluice-ingest-benchmark-baseline");
    LongAdder acked = new LongAdder();
    LongAdder failed = new LongAdder();
    String[] firstFailure = new String[1];
    MeasureWindow window = new MeasureWindow();
    progress.phase("(a) raw Kafka producer", "one thread, async sends, acks=all, idempotent, topic " + topic);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      Thread sender = new Thread(() -> {
        while (!window.stopping()) {
          CloudEvent e = events.cloudEvent();
          producer.send(record(topic, e), (metadata, err) -> {
            if (!window.measuring()) {
              return;
            }
            if (err == null) {
              acked.increment();
            } else {
              failed.increment();
              if (firstFailure[0] == null) {
                firstFailure[0] = err.toString();
              }
            }
          });
        }
      }, "baseline-producer");
      sender.start();
      MeasureWindow.Counted counted = window.run(progress, warmup, measure, acked);
      sender.join(TimeUnit.SECONDS.toMillis(30));
      producer.flush();
      Result r = new Result(counted.perSecond(), counted.count(), failed.sum(), firstFailure[0]);
      progress.done(String.format("(a) raw Kafka producer: %,.0f records/s (%d failed)", r.recordsPerSecond(),
          r.failed()));
      return r;
    }
  }

  private static ProducerRecord<String, byte[]> record(String topic, CloudEvent e) {
    List<Header> headers = new ArrayList<>();
    for (KafkaHeader h : CloudEventKafkaBinding.headers(e)) {
      headers.add(new RecordHeader(h.key(), h.value()));
    }
    // The gateway keys by the type's partition-key pointer, /id for products: the product id, here the event id.
    return new ProducerRecord<>(topic, null, e.id(), e.data().getBytes(StandardCharsets.UTF_8), headers);
  }
}
