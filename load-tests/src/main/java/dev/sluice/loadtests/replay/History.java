package dev.sluice.loadtests.replay;

import dev.sluice.loadtests.consumer.ProductRecords;
import dev.sluice.schemas.event.CloudEvent;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The history the replay benchmark seeds: {@code count} events of the demo stream's two product types, each with about
 * {@value #DATA_BYTES} bytes of data valid against its registered schema, whose times (the CloudEvent's {@code time}
 * and the Kafka record's timestamp) are spread evenly from {@code start} over {@code span}. Event {@code i} is the same
 * in every run: pure, so that what is seeded is tested without a broker.
 *
 * <p>The keys are few on purpose ({@value #PRODUCTS} products): a later {@code created} of a product updates it, so the
 * handler's view stays small and the heap measured is the consumer's, not a view growing with history.
 *
 * <p>No {@code retail.photographer.registered}: its schema marks the name and e-mail, which the gateway seals, and a
 * record seeded past the gateway would hold them in the clear, which the wrapper quarantines. What sealed values cost
 * a consumer is not this benchmark's question.
 */
public record History(long count, Instant start, Duration span) {
  static final String CREATED = "retail.product.created";
  static final String PHOTOGRAPHED = "retail.product.photographed";
  static final int DATA_BYTES = 1024;
  static final int PRODUCTS = 10_000;
  static final int PHOTOGRAPHERS = 500;
  /** Three years (of 365 days), as the benchmark's history spans. */
  public static final Duration THREE_YEARS = Duration.ofDays(3 * 365);
  private static final String FILLER = "abcdefghijklmnopqrstuvwxyz0123456789-";

  public History {
    if (count < 2) {
      throw new IllegalArgumentException("a history has at least 2 events, not " + count);
    }
  }

  /** {@code count} events over {@link #THREE_YEARS}, the last one at {@code end}. */
  public static History threeYearsUntil(Instant end, long count) {
    return new History(count, end.minus(THREE_YEARS), THREE_YEARS);
  }

  /**
   * Of every 20 events: 6 products photographed, 14 products created (or updated). The demo's proportions are not
   * known; these keep products created the most common.
   */
  String type(long i) {
    return i % 20 <= 5 ? PHOTOGRAPHED : CREATED;
  }

  /** Event {@code i}'s time: the first at {@code start}, the last at {@code start + span}, evenly in between. */
  Instant time(long i) {
    long millis = span.toMillis();
    return start.plusMillis(Math.multiplyExact(i, millis / (count - 1))
        + (i * (millis % (count - 1))) / (count - 1));
  }

  /** The key the gateway would give event {@code i}: the value at its type's partition key, a product's id. */
  String key(long i) {
    return "p-" + i % PRODUCTS;
  }

  JsonObject data(long i) {
    String key = key(i);
    return switch (type(i)) {
      case PHOTOGRAPHED -> padded(new JsonObject().put("productId", key)
          .put("photographerId", "ph-" + (i % PHOTOGRAPHERS)), "imageUrl", "https://img.example.com/" + key + "/",
          ".jpg");
      default -> padded(new JsonObject().put("id", key).put("brand", "Acme").put("name", "Widget " + key)
          .put("category", "tools").put("price", 1 + i % 1000), "description", "Widget " + key + ": ", "");
    };
  }

  CloudEvent event(long i) {
    return new CloudEvent("1.0", "h-" + i, "/load-tests/replay", type(i), "application/json", null, null,
        time(i).toString(), Map.of(), data(i).encode());
  }

  /** Event {@code i} as the gateway appends it to {@code topic}, with its time as the record's timestamp. */
  public ProducerRecord<byte[], byte[]> record(String topic, long i) {
    return ProductRecords.binary(topic, time(i).toEpochMilli(), key(i), event(i));
  }

  /** {@code data} with {@code field} = prefix + filler + suffix, the filler as long as makes the data DATA_BYTES. */
  private static JsonObject padded(JsonObject data, String field, String prefix, String suffix) {
    int bare = data.copy().put(field, prefix + suffix).encode().length();
    int fill = Math.max(0, DATA_BYTES - bare);
    return data.put(field, prefix + FILLER.repeat(fill / FILLER.length() + 1).substring(0, fill) + suffix);
  }
}
