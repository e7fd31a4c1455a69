package dev.sluice.deploy.demo;

import dev.sluice.storekit.dynamo.TableKeys;
import dev.sluice.storekit.dynamo.Tables;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The demo's blue/green switch: one DynamoDB item ({@code sluice.demo.active.view.table}, key {@code name = catalog})
 * naming the view table that every demo consumer's reads serve, whatever group and version builds that view. While
 * it names none, each consumer serves its own view. Moving it is a conditional write on the version read, so of two
 * operators switching at once one wins and the other is told what is active now.
 */
public final class ActiveView {
  private static final String NAME = "name";
  private static final AttributeValue CATALOG = AttributeValue.fromS("catalog");
  private static final Map<String, AttributeValue> KEY = Map.of(NAME, CATALOG);

  private final WorkerTable table;

  public ActiveView(Vertx vertx, DynamoDbClient dynamo, String table) {
    // The pointer carries no times: the clock is never read.
    this.table = new WorkerTable(vertx, dynamo, table, Clock.systemUTC());
  }

  /** Creates the pointer's table if missing; true if it created it. Blocking: for start-up provisioning. */
  public static boolean ensureTable(DynamoDbClient dynamo, String table) {
    return TableKeys.hash(NAME).createIfAbsent(dynamo, table) != Tables.Creation.EXISTED;
  }

  /**
   * A view the reads may serve.
   *
   * @param table its DynamoDB table
   * @param group the consumer group that builds it
   * @param version how many times the pointer was set (1 for the first): what the next switch is conditional on
   */
  public record Pointer(String table, String group, long version) {
    public JsonObject json() {
      return new JsonObject().put("table", table).put("group", group).put("version", version);
    }
  }

  /** What an operator's switch to a view came to. */
  public sealed interface Switch {}

  /** The group that builds the view is still replaying history: not caught up, so not switched to. */
  public record Refused(String activeReplay) implements Switch {}

  /** The view was active already; nothing was written. */
  public record AlreadyActive(Pointer current) implements Switch {}

  /** The reads serve the view now; {@code previous} is what they served before (empty: each consumer its own). */
  public record Switched(Optional<Pointer> previous, Pointer current) implements Switch {}

  /** Another switch was written between this one's read and its write; {@code current} is what won. */
  public record Raced(Optional<Pointer> current) implements Switch {}

  /**
   * What a switch to {@code table} (built by {@code group}) should do, given the group's running replay, if any, and
   * the pointer as read: {@link Refused}, {@link AlreadyActive}, or the {@link Switched} to write (conditional on
   * {@code current}'s version).
   */
  static Switch decide(Optional<String> runningReplay, Optional<Pointer> current, String table, String group) {
    if (runningReplay.isPresent()) {
      return new Refused(runningReplay.get());
    }
    if (current.isPresent() && current.get().table().equals(table)) {
      return new AlreadyActive(current.get());
    }
    return new Switched(current, new Pointer(table, group, current.map(Pointer::version).orElse(0L) + 1));
  }

  /** The pointer as it is now; empty while no view was ever switched to. */
  public Future<Optional<Pointer>> current() {
    return table.blocking(this::read);
  }

  /** Switches the reads to {@code table}, built by {@code group}, unless {@link #decide} says otherwise. */
  public Future<Switch> switchTo(String table, String group, Optional<String> runningReplay) {
    return this.table.blocking(() -> {
      Optional<Pointer> current = read();
      Switch decided = decide(runningReplay, current, table, group);
      if (!(decided instanceof Switched switched)) {
        return decided;
      }
      boolean written = this.table.putIf(Map.of(
          NAME, CATALOG,
          "table", AttributeValue.fromS(switched.current().table()),
          "group", AttributeValue.fromS(switched.current().group()),
          "version", AttributeValue.fromN(Long.toString(switched.current().version()))), b -> {
            if (current.isEmpty()) {
              b.conditionExpression("attribute_not_exists(#name)").expressionAttributeNames(Map.of("#name", NAME));
            } else {
              b.conditionExpression("#version = :read").expressionAttributeNames(Map.of("#version", "version"))
                  .expressionAttributeValues(Map.of(":read",
                      AttributeValue.fromN(Long.toString(current.get().version()))));
            }
          });
      return written ? decided : new Raced(read());
    });
  }

  private Optional<Pointer> read() {
    return table.getNow(KEY).map(i -> new Pointer(i.get("table").s(), i.get("group").s(),
        Long.parseLong(i.get("version").n())));
  }
}
