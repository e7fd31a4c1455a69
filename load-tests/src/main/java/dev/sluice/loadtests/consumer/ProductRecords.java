package dev.sluice.loadtests.consumer;

import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The benchmark's records: {@code retail.product.created} CloudEvents in binary mode, exactly as the gateway writes
 * them ({@link CloudEventKafkaBinding#headers} plus {@value CloudEventKafkaBinding#SCHEMA_VERSION}), keyed by the
 * product id. A poison record carries the same headers over schema-invalid data (the price is a string).
 */
public final class ProductRecords {
  static final String TYPE = "retail.product.created";

  private ProductRecords() {
  }

  /** A catalog with one key-ordered stream per topic, all of the product-created type. */
  public static SchemaRegistry registryFor(Set<String> topics) {
    JsonArray streams = new JsonArray();
    for (String topic : topics) {
      streams.add(new JsonObject().put("name", topic).put("topic", topic).put("partitions", 3)
          .put("ordering", "KEY_ORDERED")
          .put("types", new JsonArray().add(new JsonObject().put("type", TYPE).put("partitionKey", "/id")
              .put("schema", "retail.product.created.json"))));
    }
    return SchemaRegistry.fromCatalog(
        StreamCatalog.parse(new JsonObject().put("streams", streams).encode(), "consumer-benchmark"));
  }

  static JsonObject product(String id, boolean poison) {
    return new JsonObject().put("id", id).put("brand", "Acme").put("name", "Widget " + id).put("category", "tools")
        .put("price", poison ? (Object) "free" : (Object) 10);
  }

  /** One record for {@code topic}, keyed by {@code productId}; partitioned by Kafka's default key hash. */
  public static ProducerRecord<byte[], byte[]> record(String topic, String productId, boolean poison) {
    CloudEvent e = new CloudEvent("1.0", UUID.randomUUID().toString(), "/load-tests/consumer", TYPE,
        "application/json", null, null, null, Map.of(), product(productId, poison).encode());
    return binary(topic, null, productId, e);
  }

  /**
   * {@code e} as the gateway appends it: binary mode, keyed by {@code key}, validated against schema version 1.
   *
   * @param timestamp the record's time in epoch milliseconds; null for the producer's clock
   */
  public static ProducerRecord<byte[], byte[]> binary(String topic, Long timestamp, String key, CloudEvent e) {
    List<Header> headers = new ArrayList<>();
    for (KafkaHeader h : CloudEventKafkaBinding.headers(e)) {
      headers.add(new RecordHeader(h.key(), h.value()));
    }
    headers.add(new RecordHeader(CloudEventKafkaBinding.SCHEMA_VERSION, "1".getBytes(StandardCharsets.UTF_8)));
    return new ProducerRecord<>(topic, null, timestamp, key.getBytes(StandardCharsets.UTF_8),
        e.data().getBytes(StandardCharsets.UTF_8), headers);
  }

  /** Whether the {@code index}-th record of a stream with the given poison share is poison: evenly spread. */
  public static boolean isPoison(long index, int poisonPercent) {
    return poisonPercent > 0 && index % (100 / poisonPercent) == (100 / poisonPercent) - 1;
  }
}
