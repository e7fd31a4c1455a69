package dev.sluice.deploy.config;

/**
 * Storms, where one way of failing flooded a partition of a group and the storm breaker paused it: where they are
 * kept, shared by the console (which lists them and applies the operators' actions) and every wrapped consumer with
 * the breaker on (which trips them and reads them on every lane refresh). Read from {@code sluice.storms.*}.
 *
 * @param table the DynamoDB table of storms, one item per group, partition and fingerprint
 */
public record StormsSettings(String table) {
  public static final String DEFAULT_TABLE = "sluice-storms";

  public StormsSettings {
    TableName.require("sluice.storms.table", table);
  }

  static StormsSettings read(ConfigReader r) {
    String table = r.string("sluice.storms.table", DEFAULT_TABLE);
    return r.build("sluice.storms", () -> new StormsSettings(table));
  }
}
