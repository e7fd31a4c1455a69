package dev.sluice.quarantine.store;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The quarantine table's layout: hash key {@code id}; index {@code by-status} (hash {@code status}, range
 * {@code quarantinedAt}, epoch millis) so that "newest first, by status" is a Query, not a Scan.
 */
public final class QuarantineTable {
  public static final String BY_STATUS_INDEX = "by-status";

  private QuarantineTable() {}

  /** Creates the table if it does not exist and waits until it is active. Blocking: call from a worker or main. */
  public static boolean ensure(DynamoDbClient dynamo, String table) {
    try {
      dynamo.describeTable(b -> b.tableName(table));
      return false;
    } catch (ResourceNotFoundException absent) {
      // fall through and create it
    }
    try {
      dynamo.createTable(definition(table));
    } catch (ResourceInUseException raced) {
      // Another process created it between describe and create: that is the idempotent outcome we want.
    }
    dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    return true;
  }

  static CreateTableRequest definition(String table) {
    return CreateTableRequest.builder()
        .tableName(table)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(
            attr(DynamoQuarantineCodec.ID, ScalarAttributeType.S),
            attr(DynamoQuarantineCodec.STATUS, ScalarAttributeType.S),
            attr(DynamoQuarantineCodec.QUARANTINED_AT, ScalarAttributeType.N))
        .keySchema(key(DynamoQuarantineCodec.ID, KeyType.HASH))
        .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
            .indexName(BY_STATUS_INDEX)
            .keySchema(key(DynamoQuarantineCodec.STATUS, KeyType.HASH), key(DynamoQuarantineCodec.QUARANTINED_AT, KeyType.RANGE))
            .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
            .build())
        .build();
  }

  private static AttributeDefinition attr(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }
}
