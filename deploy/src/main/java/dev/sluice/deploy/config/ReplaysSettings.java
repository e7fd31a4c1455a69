package dev.sluice.deploy.config;

/**
 * Replays of a stream's history to a consumer group: where they are kept, shared by the console (which starts and
 * cancels them) and every replay-aware wrapped consumer (which flags replayed events and finishes the replay). Read
 * from {@code sluice.replays.*}.
 *
 * @param table the DynamoDB table of replays and of each group's active-replay lock
 */
public record ReplaysSettings(String table) {
  public static final String DEFAULT_TABLE = "sluice-replays";

  public ReplaysSettings {
    TableName.require("sluice.replays.table", table);
  }

  static ReplaysSettings read(ConfigReader r) {
    String table = r.string("sluice.replays.table", DEFAULT_TABLE);
    return r.build("sluice.replays", () -> new ReplaysSettings(table));
  }
}
