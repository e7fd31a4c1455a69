package dev.sluice.loadtests.consumer;

import dev.sluice.quarantine.consumer.ConsumedEvent;
import dev.sluice.quarantine.consumer.Triage;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A bare vertx-kafka-client consumer in a group of its own, reading a topic from {@code earliest}, handing each record
 * to {@code perRecord} on its event loop and committing every second as the wrapper does (the replay suite's baseline;
 * the consumer and peers suites measure against the tighter {@link BarePollLoop}); and the wrapper's decoding of a
 * record, which every baseline does as the wrapper does it.
 */
public final class BareConsumer {
  private BareConsumer() {}

  public static VerticleBase verticle(Vertx vertx, String bootstrap, String group, String topic, int maxPollRecords,
      Consumer<KafkaConsumerRecord<byte[], byte[]>> perRecord) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrap);
    props.put("group.id", group);
    props.put("enable.auto.commit", "false");
    props.put("auto.offset.reset", "earliest");
    props.put("max.poll.records", Integer.toString(maxPollRecords));
    return new VerticleBase() {
      private KafkaConsumer<byte[], byte[]> consumer;
      private long commitTimer;

      @Override
      public Future<?> start() {
        // Constructing the client resolves the bootstrap address: on a worker, as the wrapper does it.
        return vertx.executeBlocking(() -> new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                props, new ByteArrayDeserializer(), new ByteArrayDeserializer()), false)
            .compose(raw -> {
              consumer = KafkaConsumer.create(vertx, raw);
              consumer.handler(perRecord::accept);
              commitTimer = vertx.setPeriodic(1_000, t -> consumer.commit());
              return consumer.subscribe(topic);
            });
      }

      @Override
      public Future<?> stop() {
        vertx.cancelTimer(commitTimer);
        return consumer.commit().eventually(() -> consumer.close());
      }
    };
  }

  /**
   * The record decoded and validated exactly as the wrapper does it before its handler runs ({@link Triage}), as the
   * event the wrapper's handler would get; empty for poison. The replay flag is false: a bare consumer knows of none.
   */
  public static Optional<ConsumedEvent> decoded(Triage triage, String group, KafkaConsumerRecord<byte[], byte[]> r) {
    return decoded(triage, group, r.record());
  }

  /** As {@link #decoded(Triage, String, KafkaConsumerRecord)}, for a record of a plain kafka-clients consumer. */
  public static Optional<ConsumedEvent> decoded(Triage triage, String group, ConsumerRecord<byte[], byte[]> r) {
    List<KafkaHeader> headers = new ArrayList<>();
    for (Header h : r.headers()) {
      headers.add(new KafkaHeader(h.key(), h.value()));
    }
    if (!(triage.triage(r.topic(), headers, r.value()) instanceof Triage.Ready ready)) {
      return Optional.empty();
    }
    Optional<String> key = Optional.ofNullable(r.key()).map(k -> new String(k, StandardCharsets.UTF_8));
    return Optional.of(new ConsumedEvent(ready.event(), ready.stream(), group, r.topic(), r.partition(), r.offset(),
        key, false));
  }
}
