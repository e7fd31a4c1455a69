package dev.sluice.gateway.config;

import dev.sluice.ingest.ReadLimits;
import dev.sluice.ingest.kafka.ProducerSafety;
import java.time.Duration;

/**
 * The gateway's own settings. Kafka client properties travel separately (as a map) so that any producer/admin setting
 * can be passed through without this record knowing about it.
 *
 * @param host the address the HTTP server binds to
 * @param port the HTTP port; 0 picks a free port (see {@code GatewayVerticle.actualPort()})
 * @param maxBodyBytes the largest request body accepted; larger bodies get 413 and are never buffered in full
 * @param appendTimeout the budget for one append to Kafka, waiting for metadata included; when it runs out the client
 *     gets 503, never a hang
 * @param limits the hard limits on what a body may contain (nesting, number and string lengths, events per batch)
 * @param producerSafety whether unsafe producer settings are allowed, and the bound on appends waiting for Kafka
 * @param clientTimeouts how long a client may take to send a request head and body, and to idle between requests
 * @param instances how many instances of the gateway verticle to deploy, each on its own event loop, sharing the port
 */
public record GatewayConfig(
    String host, int port, long maxBodyBytes, Duration appendTimeout, ReadLimits limits, ProducerSafety producerSafety,
    ClientTimeouts clientTimeouts, int instances) {
  /** One event loop per core: parsing and validating events is CPU work that a single event loop would serialize. */
  public static final int DEFAULT_INSTANCES = Math.max(1, Runtime.getRuntime().availableProcessors());
  /** The default append budget: a client hears 503 within seconds when Kafka is away, not after a long hang. */
  public static final Duration DEFAULT_APPEND_TIMEOUT = Duration.ofSeconds(5);
  public static final long DEFAULT_MAX_BODY_BYTES = 1024L * 1024L;
  public static final long MAX_BODY_BYTES_CEILING = 64L * 1024L * 1024L;
  public static final Duration MIN_APPEND_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration MAX_APPEND_TIMEOUT = Duration.ofMinutes(5);

  public GatewayConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("gateway host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("gateway port must be between 0 and 65535 (0 = any free port), was " + port);
    }
    if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_BYTES_CEILING) {
      throw new IllegalArgumentException(
          "gateway maxBodyBytes must be between 1 and " + MAX_BODY_BYTES_CEILING + ", was " + maxBodyBytes);
    }
    if (appendTimeout == null
        || appendTimeout.compareTo(MIN_APPEND_TIMEOUT) < 0
        || appendTimeout.compareTo(MAX_APPEND_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          "gateway appendTimeout must be between " + MIN_APPEND_TIMEOUT + " and " + MAX_APPEND_TIMEOUT + ", was "
              + appendTimeout);
    }
    if (limits == null) {
      throw new IllegalArgumentException("gateway limits must be given (ReadLimits.defaults() for the defaults)");
    }
    if (producerSafety == null || clientTimeouts == null) {
      throw new IllegalArgumentException("gateway producerSafety and clientTimeouts must be given (see their defaults())");
    }
    if (instances < 1 || instances > 256) {
      throw new IllegalArgumentException("gateway instances must be between 1 and 256, was " + instances);
    }
  }

  public GatewayConfig(
      String host, int port, long maxBodyBytes, Duration appendTimeout, ReadLimits limits, ProducerSafety producerSafety,
      ClientTimeouts clientTimeouts) {
    this(host, port, maxBodyBytes, appendTimeout, limits, producerSafety, clientTimeouts, DEFAULT_INSTANCES);
  }

  /** With the default {@link ReadLimits}, {@link ProducerSafety} and {@link ClientTimeouts}. */
  public GatewayConfig(String host, int port, long maxBodyBytes, Duration appendTimeout) {
    this(host, port, maxBodyBytes, appendTimeout, ReadLimits.defaults());
  }

  /** With the default {@link ProducerSafety} and {@link ClientTimeouts}. */
  public GatewayConfig(String host, int port, long maxBodyBytes, Duration appendTimeout, ReadLimits limits) {
    this(host, port, maxBodyBytes, appendTimeout, limits, ProducerSafety.defaults(), ClientTimeouts.defaults());
  }

  /** 127.0.0.1:8080, 1 MiB bodies, 5 s per append, the default limits, producer safety and client timeouts. */
  public static GatewayConfig defaults() {
    return new GatewayConfig("127.0.0.1", 8080, DEFAULT_MAX_BODY_BYTES, DEFAULT_APPEND_TIMEOUT);
  }

  /** The same settings on another port: further instances listen on the port the first one bound. */
  public GatewayConfig withPort(int newPort) {
    return new GatewayConfig(host, newPort, maxBodyBytes, appendTimeout, limits, producerSafety, clientTimeouts,
        instances);
  }
}
