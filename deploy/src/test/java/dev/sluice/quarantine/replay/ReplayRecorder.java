package dev.sluice.quarantine.replay;

import dev.sluice.quarantine.consumer.BlockingEventHandler;
import dev.sluice.quarantine.consumer.ConsumedEvent;
import dev.sluice.quarantine.consumer.EventHandler;
import dev.sluice.quarantine.retry.PoisonPill;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The handler under test: records every event it accepts (product id, name, partition, offset, replay flag, how it
 * was delivered), in the order it accepted them. A product named {@code reject} is refused as poison until the
 * handler is {@link #fixed}. Each call may take {@code pace}, so that a test can stop a consumer while it is still in
 * history.
 */
final class ReplayRecorder {
  /** One accepted event, as the handler saw it. */
  record Handled(String productId, String name, int partition, long offset, boolean replay,
      ConsumedEvent.Delivery delivery) {}

  final List<Handled> handled = new CopyOnWriteArrayList<>();
  /**
   * A view the handler keeps, as a service's would: each product's last name applied. Applying an event again (a
   * rewind) is idempotent: events of a product come in order, so the view ends as one pass would leave it.
   */
  final Map<String, String> view = new ConcurrentHashMap<>();
  private final Duration pace;
  /** Set when a fixed handler is deployed: a product named {@code reject} is accepted from then on. */
  volatile boolean fixed;

  ReplayRecorder(Duration pace) {
    this.pace = pace;
  }

  ReplayRecorder() {
    this(Duration.ZERO);
  }

  private void record(ConsumedEvent event) {
    String name = event.data().getString("name");
    if (name.equals("reject") && !fixed) {
      throw new PoisonPill("product " + event.data().getString("id") + " is rejected");
    }
    handled.add(new Handled(event.data().getString("id"), name, event.partition(), event.offset(), event.replay(),
        event.delivery()));
    view.put(event.data().getString("id"), name);
  }

  /** For the Vert.x wrapper: never blocks (its pace is a timer). */
  EventHandler handler(Vertx vertx) {
    return event -> {
      Future<Void> paced = pace.isZero() ? Future.succeededFuture()
          : vertx.timer(pace.toMillis(), TimeUnit.MILLISECONDS).mapEmpty();
      return paced.map(v -> {
        record(event);
        return null;
      });
    };
  }

  /** For the plain poll loop: runs on its handler threads, so its pace may be a sleep. */
  BlockingEventHandler blocking() {
    return event -> {
      if (!pace.isZero()) {
        Thread.sleep(pace.toMillis());
      }
      record(event);
    };
  }

  List<Handled> ofProduct(String productId) {
    return handled.stream().filter(h -> h.productId().equals(productId)).toList();
  }
}
