package dev.sluice.loadtests.replay;

import dev.sluice.loadtests.consumer.CountingHandler;
import dev.sluice.quarantine.consumer.ConsumedEvent;
import dev.sluice.quarantine.consumer.EventHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The handler both sides of the replay benchmark run: the demo's catalog view, in memory instead of DynamoDB, so that
 * the benchmark measures the consumers and not a table. Per event it parses the data and updates the view (products,
 * photographers, photo counts), as catalog-builder does; it also counts the events flagged as replayed. Thread-safe:
 * the wrapper calls it from its partition workers.
 */
final class CatalogMemory implements EventHandler {
  /** What the view keeps of a product. */
  record Product(String name, double price) {}

  private final CountingHandler counter = new CountingHandler();
  private final Map<String, Product> products = new ConcurrentHashMap<>();
  private final Map<String, String> photographers = new ConcurrentHashMap<>();
  private final Map<String, Long> photos = new ConcurrentHashMap<>();
  private final LongAdder flagged = new LongAdder();

  @Override
  public Future<Void> handle(ConsumedEvent event) {
    JsonObject data = new JsonObject(event.event().data());
    switch (event.event().type()) {
      case History.CREATED -> products.put(data.getString("id"),
          new Product(data.getString("name"), data.getDouble("price")));
      case "retail.photographer.registered" -> photographers.put(data.getString("id"), data.getString("name"));
      case History.PHOTOGRAPHED -> photos.merge(data.getString("productId"), 1L, Long::sum);
      default -> throw new IllegalArgumentException("not a type of the retail stream: " + event.event().type());
    }
    if (event.replay()) {
      flagged.increment();
    }
    return counter.call();
  }

  CountingHandler counter() {
    return counter;
  }

  long handled() {
    return counter.calls();
  }

  long flagged() {
    return flagged.sum();
  }

  int products() {
    return products.size();
  }

  int photographers() {
    return photographers.size();
  }

  long photos() {
    return photos.values().stream().mapToLong(Long::longValue).sum();
  }
}
