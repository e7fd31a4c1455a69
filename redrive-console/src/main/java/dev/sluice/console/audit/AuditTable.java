package dev.sluice.console.audit;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The audit table's layout. Hash key {@code day} (UTC date, {@code 2026-11-22}), range key {@code sk} (13-digit epoch
 * millis, {@code #}, the entry's UUID), so "the newest entries" reads one day's partition after another, newest
 * first, and a time range is a key condition. Index {@code by-item} (hash {@code itemId}, range {@code sk}) answers
 * "what happened to this item" and {@code by-actor} (hash {@code actor}, range {@code sk}) "what did this operator
 * do", each with one Query. The action is a FilterExpression on whichever of these answers.
 */
public final class AuditTable {
  public static final String DAY = "day";
  public static final String SORT_KEY = "sk";
  public static final String ITEM_ID = "itemId";
  public static final String ACTOR = "actor";
  public static final String BY_ITEM_INDEX = "by-item";
  public static final String BY_ACTOR_INDEX = "by-actor";

  private AuditTable() {}

  /** Creates the table if it does not exist and waits until it is active. Blocking. True if it created it. */
  public static boolean ensure(DynamoDbClient dynamo, String table) {
    try {
      dynamo.describeTable(b -> b.tableName(table));
      return false;
    } catch (ResourceNotFoundException absent) {
      // create it below
    }
    try {
      dynamo.createTable(b -> b.tableName(table)
          .billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(attr(DAY), attr(SORT_KEY), attr(ITEM_ID), attr(ACTOR))
          .keySchema(key(DAY, KeyType.HASH), key(SORT_KEY, KeyType.RANGE))
          .globalSecondaryIndexes(index(BY_ITEM_INDEX, ITEM_ID), index(BY_ACTOR_INDEX, ACTOR)));
    } catch (ResourceInUseException raced) {
      // Another process created it between describe and create: the outcome we want.
    }
    dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    return true;
  }

  private static GlobalSecondaryIndex index(String name, String hash) {
    return GlobalSecondaryIndex.builder()
        .indexName(name)
        .keySchema(key(hash, KeyType.HASH), key(SORT_KEY, KeyType.RANGE))
        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
        .build();
  }

  private static AttributeDefinition attr(String name) {
    return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }
}
