package dev.sluice.gateway.kafka;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Whether Kafka is reachable, for {@code /health/ready}. A probe ({@code describeCluster}) runs at start and then
 * {@link #PROBE_INTERVAL} after the previous one finished, so at most one probe is ever in flight; the readiness
 * endpoint reads the last result and never waits on Kafka.
 *
 * <p>The admin client's calls are asynchronous (KafkaFuture callbacks), so probing never blocks the event loop; only
 * creating and closing the admin client block, and both run on workers.
 */
public final class KafkaReadiness {
  private static final java.util.concurrent.atomic.AtomicInteger CLIENTS = new java.util.concurrent.atomic.AtomicInteger();
  public static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);
  static final int PROBE_TIMEOUT_MS = 3_000;

  private final Vertx vertx;
  private final KafkaAdminClient admin;
  private volatile boolean ready;
  private volatile boolean closed;
  private long timerId = -1;

  private KafkaReadiness(Vertx vertx, KafkaAdminClient admin) {
    this.vertx = vertx;
    this.admin = admin;
  }

  /** Creates the admin client on a worker and starts probing; completes on the caller's context. */
  public static Future<KafkaReadiness> start(Vertx vertx, Map<String, String> clientProps) {
    Map<String, Object> config = adminConfig(clientProps);
    return vertx.executeBlocking(() -> AdminClient.create(config), false)
        .map(a -> {
          KafkaReadiness r = new KafkaReadiness(vertx, KafkaAdminClient.create(vertx, a));
          r.probe();
          return r;
        });
  }

  static Map<String, Object> adminConfig(Map<String, String> clientProps) {
    Map<String, Object> config = new HashMap<>();
    // Only the settings an admin client understands: connection and security. Producer settings would be logged as
    // unknown on every start.
    clientProps.forEach((k, v) -> {
      if (AdminClientConfig.configNames().contains(k)) {
        config.put(k, v);
      }
    });
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(PROBE_TIMEOUT_MS));
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(PROBE_TIMEOUT_MS));
    config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-gateway-readiness-" + CLIENTS.incrementAndGet());
    return config;
  }

  public boolean isReady() {
    return ready;
  }

  private void probe() {
    if (closed) {
      return;
    }
    admin.describeCluster()
        .onComplete(ar -> {
          ready = ar.succeeded();
          if (!closed) {
            timerId = vertx.setTimer(PROBE_INTERVAL.toMillis(), id -> probe());
          }
        });
  }

  public Future<Void> close() {
    closed = true;
    ready = false;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    return admin.close(PROBE_TIMEOUT_MS);
  }
}
