package dev.sluice.deploy.config;

/**
 * A section whose one setting is the DynamoDB table it keeps its things in, shared by the console and the wrapped
 * consumers: replays ({@code sluice.replays.table}: replays and each group's active-replay lock) and storms
 * ({@code sluice.storms.table}: one item per group, partition and failure fingerprint).
 *
 * @param key the setting, named in the error when the table name is one DynamoDB would refuse
 * @param table the table's name
 */
public record TableSettings(String key, String table) {
  public static final String DEFAULT_REPLAYS_TABLE = "sluice-replays";
  public static final String DEFAULT_STORMS_TABLE = "sluice-storms";

  public TableSettings {
    if (table == null || !table.matches("[A-Za-z0-9_.-]{3,255}")) {
      throw new IllegalArgumentException(
          key + " must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -), was " + table);
    }
  }

  /** {@code <section>.table}, by default {@code defaultTable}. */
  static TableSettings read(ConfigReader r, String section, String defaultTable) {
    String key = section + ".table";
    String table = r.string(key, defaultTable);
    return r.build(section, () -> new TableSettings(key, table));
  }
}
