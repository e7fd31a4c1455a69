package dev.sluice.gateway.config;

import java.time.Duration;

/**
 * How long the gateway waits for a client before it cuts the connection, so that slow or silent clients (slowloris)
 * cannot hold connections and buffers for ever.
 *
 * @param header a new connection must deliver a complete request head (request line and headers) within this time,
 *     or it is closed
 * @param body once the head has arrived, the whole body must arrive within this time, or the client gets 408 and the
 *     connection is closed
 * @param keepAliveIdle after a response, a kept-alive connection must deliver the next complete request head within
 *     this time, or it is closed
 */
public record ClientTimeouts(Duration header, Duration body, Duration keepAliveIdle) {
  public static final Duration MIN = Duration.ofMillis(100);
  public static final Duration MAX = Duration.ofHours(1);

  public ClientTimeouts {
    check("header", header);
    check("body", body);
    check("keepAliveIdle", keepAliveIdle);
  }

  /** 10 s for the head, 30 s for the body, 60 s idle between requests. */
  public static ClientTimeouts defaults() {
    return new ClientTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60));
  }

  /** The shortest of the three: the guard checks connections several times within it. */
  public Duration shortest() {
    Duration min = header.compareTo(body) < 0 ? header : body;
    return min.compareTo(keepAliveIdle) < 0 ? min : keepAliveIdle;
  }

  private static void check(String name, Duration d) {
    if (d == null || d.compareTo(MIN) < 0 || d.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(
          "client " + name + " timeout must be between " + MIN + " and " + MAX + ", was " + d);
    }
  }
}
