package dev.sluice.storekit.dynamo;

import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * A small on-demand table whose items expire by themselves (dedup marks, sessions, group heartbeats): string keys,
 * and DynamoDB's TTL on one numeric attribute (epoch seconds). DynamoDB deletes expired items only eventually
 * (typically within days), so the TTL bounds a table's size; readers must still ignore expired items.
 *
 * <pre>{@code TtlTable.keyedBy("pk").expiringOn("expiresAt").ensure(dynamo, "sluice-processed-events")}</pre>
 */
public record TtlTable(TableKeys keys, String ttlAttribute) {
  public TtlTable {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(ttlAttribute, "ttlAttribute");
  }

  /** Keyed by a string hash key only; say {@link TableKeys#expiringOn} next. */
  public static TableKeys keyedBy(String hashKey) {
    return TableKeys.hash(hashKey);
  }

  /** Keyed by a string hash key and a string range key; say {@link TableKeys#expiringOn} next. */
  public static TableKeys keyedBy(String hashKey, String rangeKey) {
    return TableKeys.hashAndRange(hashKey, rangeKey);
  }

  /**
   * The TTL attribute's value for an item that must live until {@code epochMillis}: epoch seconds, rounded up, so
   * that DynamoDB never deletes the item before then.
   */
  public static long ttlSeconds(long epochMillis) {
    return Math.floorDiv(epochMillis + 999, 1000);
  }

  /**
   * Creates {@code table} if it does not exist (on-demand billing), waits until it exists, and turns TTL on
   * {@link #ttlAttribute} on if it is not on yet. Idempotent, also when several processes race. Blocking: call it from
   * a worker or at start-up, never on an event loop.
   *
   * @return true if this call created the table
   */
  public boolean ensure(DynamoDbClient dynamo, String table) {
    Tables.Creation creation = keys.createIfAbsent(dynamo, table);
    if (creation == Tables.Creation.EXISTED) {
      // Possibly still being created by another process: TTL can be turned on only once it is active.
      dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    }
    if (!ttlOn(dynamo, table)) {
      try {
        dynamo.updateTimeToLive(b -> b.tableName(table)
            .timeToLiveSpecification(t -> t.attributeName(ttlAttribute).enabled(true)));
      } catch (DynamoDbException e) {
        // Refused when another process turned TTL on in the meantime; judge by the table's state, not the message.
        if (!ttlOn(dynamo, table)) {
          throw e;
        }
      }
    }
    return creation == Tables.Creation.CREATED;
  }

  private boolean ttlOn(DynamoDbClient dynamo, String table) {
    TimeToLiveDescription d = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
    return d != null && ttlAttribute.equals(d.attributeName())
        && (d.timeToLiveStatus() == TimeToLiveStatus.ENABLED || d.timeToLiveStatus() == TimeToLiveStatus.ENABLING);
  }
}
