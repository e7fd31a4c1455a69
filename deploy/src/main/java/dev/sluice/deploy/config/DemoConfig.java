package dev.sluice.deploy.config;

import java.util.Objects;

/**
 * The demo consumer catalog-builder.
 *
 * @param group its Kafka consumer group
 * @param catalogTable the DynamoDB table of its materialized view
 */
public record DemoConfig(String host, int port, String group, String catalogTable) {
  public DemoConfig {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("sluice.demo.port must be 0-65535");
    }
    if (group == null || group.isBlank()) {
      throw new IllegalArgumentException("sluice.demo.group must not be blank");
    }
    if (catalogTable == null || catalogTable.length() < 3) {
      throw new IllegalArgumentException("sluice.demo.table must be at least 3 characters");
    }
  }

  public static DemoConfig defaults() {
    return new DemoConfig("127.0.0.1", 8082, "catalog-builder", "sluice-demo-catalog");
  }
}
