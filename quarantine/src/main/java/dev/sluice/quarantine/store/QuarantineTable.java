package dev.sluice.quarantine.store;

import dev.sluice.storekit.dynamo.Tables;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The quarantine table's layout: hash key {@code id}; index {@code by-status} (hash {@code status}, range
 * {@code quarantinedAt}, epoch millis) so that "newest first, by status" is a Query, not a Scan; and the sparse index
 * {@code by-lane} (hash {@code openLane} = group|topic|partition, range {@code kafkaOffset}) holding only open items,
 * so that a consumer newly assigned a partition reads that partition's open items, in offset order, with one Query
 * whose cost does not grow with the resolved history.
 *
 * <p>For the console's find ({@link QuarantineSearch}): {@code by-group} (hash {@code consumerGroup}, range
 * {@code quarantinedAt}) and {@code by-stream} (hash {@code stream}, range {@code quarantinedAt}), so that a list
 * filtered by group or stream is a Query over that group's or stream's items only, newest first, with a time range
 * in its key condition. Both project every attribute: the list shows summaries and free text searches the payload
 * without a second read per item.
 */
public final class QuarantineTable {
  public static final String BY_STATUS_INDEX = "by-status";
  public static final String BY_LANE_INDEX = "by-lane";
  public static final String BY_GROUP_INDEX = "by-group";
  public static final String BY_STREAM_INDEX = "by-stream";

  private QuarantineTable() {}

  /**
   * Creates the table if it does not exist ({@link Tables#createIfAbsent}), or adds the indexes a table made before
   * them lacks (one at a time, as DynamoDB requires), and waits until they are active. Blocking: call from a worker or
   * main. True if it created or changed anything.
   */
  public static boolean ensure(DynamoDbClient dynamo, String table) {
    if (Tables.createIfAbsent(dynamo, definition(table)) != Tables.Creation.EXISTED) {
      return true;
    }
    // It was there, perhaps made before some of the indexes existed: look at which it has.
    TableDescription existing = dynamo.describeTable(b -> b.tableName(table)).table();
    boolean changed = false;
    if (!hasIndex(existing, BY_LANE_INDEX)) {
      addLaneIndex(dynamo, table);
      changed = true;
    }
    for (GlobalSecondaryIndex index : List.of(groupIndex(), streamIndex())) {
      if (!hasIndex(existing, index.indexName())) {
        addIndex(dynamo, table, index, attr(index.keySchema().get(0).attributeName(), ScalarAttributeType.S));
        changed = true;
      }
    }
    return changed;
  }

  private static boolean hasIndex(TableDescription t, String name) {
    return t.hasGlobalSecondaryIndexes() && t.globalSecondaryIndexes().stream().anyMatch(i -> i.indexName().equals(name));
  }

  private static void addIndex(DynamoDbClient dynamo, String table, GlobalSecondaryIndex index,
      AttributeDefinition hash) {
    try {
      dynamo.updateTable(b -> b.tableName(table)
          .attributeDefinitions(hash, attr(DynamoQuarantineCodec.QUARANTINED_AT, ScalarAttributeType.N))
          .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder()
              .create(CreateGlobalSecondaryIndexAction.builder()
                  .indexName(index.indexName())
                  .keySchema(index.keySchema())
                  .projection(index.projection())
                  .build())
              .build()));
    } catch (ResourceInUseException raced) {
      // another process is adding it: wait below
    }
    awaitActive(dynamo, table, index.indexName());
  }

  private static void awaitActive(DynamoDbClient dynamo, String table, String index) {
    for (int i = 0; i < 600; i++) {
      TableDescription t = dynamo.describeTable(b -> b.tableName(table)).table();
      boolean active = t.hasGlobalSecondaryIndexes() && t.globalSecondaryIndexes().stream()
          .anyMatch(g -> g.indexName().equals(index) && g.indexStatus() == IndexStatus.ACTIVE);
      if (active) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for index " + index, e);
      }
    }
    throw new IllegalStateException("index " + index + " of " + table + " did not become active in 60 s");
  }

  /** Newest first within a consumer group (the console's find by group). */
  private static GlobalSecondaryIndex groupIndex() {
    return byTime(BY_GROUP_INDEX, DynamoQuarantineCodec.GROUP);
  }

  /** Newest first within a stream (the console's find by stream). */
  private static GlobalSecondaryIndex streamIndex() {
    return byTime(BY_STREAM_INDEX, DynamoQuarantineCodec.STREAM);
  }

  private static GlobalSecondaryIndex byTime(String name, String hash) {
    return GlobalSecondaryIndex.builder()
        .indexName(name)
        .keySchema(key(hash, KeyType.HASH), key(DynamoQuarantineCodec.QUARANTINED_AT, KeyType.RANGE))
        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
        .build();
  }

  private static void addLaneIndex(DynamoDbClient dynamo, String table) {
    try {
      dynamo.updateTable(b -> b.tableName(table)
          .attributeDefinitions(
              attr(DynamoQuarantineCodec.OPEN_LANE, ScalarAttributeType.S),
              attr(DynamoQuarantineCodec.OFFSET, ScalarAttributeType.N))
          .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder()
              .create(CreateGlobalSecondaryIndexAction.builder()
                  .indexName(BY_LANE_INDEX)
                  .keySchema(laneIndex().keySchema())
                  .projection(laneIndex().projection())
                  .build())
              .build()));
    } catch (ResourceInUseException raced) {
      // another process is adding it: wait below
    }
    awaitActive(dynamo, table, BY_LANE_INDEX);
  }

  /** Only what the guard and the gauges need: no payload. */
  private static GlobalSecondaryIndex laneIndex() {
    return GlobalSecondaryIndex.builder()
        .indexName(BY_LANE_INDEX)
        .keySchema(key(DynamoQuarantineCodec.OPEN_LANE, KeyType.HASH), key(DynamoQuarantineCodec.OFFSET, KeyType.RANGE))
        .projection(Projection.builder()
            .projectionType(ProjectionType.INCLUDE)
            .nonKeyAttributes(DynamoQuarantineCodec.STATUS, DynamoQuarantineCodec.KEY,
                DynamoQuarantineCodec.QUARANTINED_AT, DynamoQuarantineCodec.ATTEMPTS)
            .build())
        .build();
  }

  static CreateTableRequest definition(String table) {
    return CreateTableRequest.builder()
        .tableName(table)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(
            attr(DynamoQuarantineCodec.ID, ScalarAttributeType.S),
            attr(DynamoQuarantineCodec.STATUS, ScalarAttributeType.S),
            attr(DynamoQuarantineCodec.QUARANTINED_AT, ScalarAttributeType.N),
            attr(DynamoQuarantineCodec.OPEN_LANE, ScalarAttributeType.S),
            attr(DynamoQuarantineCodec.OFFSET, ScalarAttributeType.N),
            attr(DynamoQuarantineCodec.GROUP, ScalarAttributeType.S),
            attr(DynamoQuarantineCodec.STREAM, ScalarAttributeType.S))
        .keySchema(key(DynamoQuarantineCodec.ID, KeyType.HASH))
        .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
            .indexName(BY_STATUS_INDEX)
            .keySchema(key(DynamoQuarantineCodec.STATUS, KeyType.HASH), key(DynamoQuarantineCodec.QUARANTINED_AT, KeyType.RANGE))
            .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
            .build(),
            laneIndex(), groupIndex(), streamIndex())
        .build();
  }

  private static AttributeDefinition attr(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }
}
