package dev.sluice.deploy.config;

import java.util.Objects;

/**
 * The demo consumer catalog-builder.
 *
 * @param group its Kafka consumer group
 * @param catalogTable the DynamoDB table of its materialized view
 * @param blueGreen which handler version it runs, and where the demo keeps the view its reads serve
 * @see KeyGrants whether its group is granted the data subjects' keys ({@code sluice.crypto.grants}, or
 *     {@code sluice.demo.unseal})
 */
public record DemoConfig(String host, int port, String group, String catalogTable, BlueGreen blueGreen) {
  /** The handler version v1 (the one with the photographer-name bug) and v2 (the fix), as docs/replay.md shows. */
  public static final int FIRST_VERSION = 1;
  public static final int LAST_VERSION = 2;

  public DemoConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(blueGreen, "blueGreen");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("sluice.demo.port must be 0-65535");
    }
    if (group == null || group.isBlank()) {
      throw new IllegalArgumentException("sluice.demo.group must not be blank");
    }
    requireTableName("sluice.demo.table", catalogTable);
  }

  /**
   * @param version the catalog handler's version, {@value #FIRST_VERSION} to {@value #LAST_VERSION}
   * @param activeViewTable the DynamoDB table of the pointer naming the view table every demo consumer's reads serve
   */
  public record BlueGreen(int version, String activeViewTable) {
    public BlueGreen {
      if (version < FIRST_VERSION || version > LAST_VERSION) {
        throw new IllegalArgumentException("sluice.demo.version must be " + FIRST_VERSION + " or " + LAST_VERSION);
      }
      requireTableName("sluice.demo.active.view.table", activeViewTable);
    }
  }

  public static DemoConfig defaults() {
    return new DemoConfig("127.0.0.1", 8082, "catalog-builder", "sluice-demo-catalog",
        new BlueGreen(FIRST_VERSION, "sluice-demo-active-view"));
  }

  private static void requireTableName(String key, String table) {
    // DynamoDB's shortest table name.
    if (table == null || table.length() < 3) {
      throw new IllegalArgumentException(key + " must be at least 3 characters");
    }
  }
}
