package dev.sluice.deploy.config;

/** The rule every DynamoDB table name of the configuration is held to. */
final class TableName {
  private TableName() {}

  /** @throws IllegalArgumentException naming {@code key}, unless {@code table} is a DynamoDB table name */
  static void require(String key, String table) {
    if (table == null || !table.matches("[A-Za-z0-9_.-]{3,255}")) {
      throw new IllegalArgumentException(
          key + " must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -), was " + table);
    }
  }
}
