package dev.sluice.quarantine.kafka;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;

/**
 * A Kafka Admin client made on first use and kept, for a process part that asks Kafka only now and then (a replay's
 * start, the stream catalog): nothing connects until something is asked, and once {@link #close}d it makes no other.
 *
 * <p>{@link #get} blocks (making the client resolves and connects): call it on a worker, as every Admin call is.
 * Thread-safe.
 */
public final class LazyAdmin {
  private final Vertx vertx;
  private final Map<String, Object> config;
  private Admin admin;
  private boolean closed;

  /** @param config the Admin client's properties */
  public LazyAdmin(Vertx vertx, Map<String, Object> config) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.config = new HashMap<>(config);
  }

  /**
   * The client, made now if it was not.
   *
   * @throws KafkaException once closed (the process is stopping)
   */
  public synchronized Admin get() {
    if (closed) {
      throw new KafkaException("closed: the console is stopping");
    }
    if (admin == null) {
      admin = Admin.create(config);
    }
    return admin;
  }

  /** Closes the client, if one was made, on a worker; no other is made after. */
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      Admin a;
      synchronized (this) {
        closed = true;
        a = admin;
        admin = null;
      }
      if (a != null) {
        a.close(Duration.ofSeconds(5));
      }
      return null;
    }, false);
  }
}
