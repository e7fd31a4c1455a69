package dev.sluice.quarantine.aws;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Provisions the small on-demand tables whose items expire by themselves (processed-event marks, group heartbeats).
 * Blocking: call at start-up or from a worker, never on an event loop.
 */
public final class DynamoTables {
  private DynamoTables() {}

  /**
   * Creates {@code table} if it does not exist (string keys: {@code hashKey}, and {@code rangeKey} unless null;
   * on-demand billing), waits until it exists, and turns TTL on {@code ttlAttribute} on if it is not on yet.
   * Idempotent, also when several processes race.
   */
  public static void ensureWithTtl(
      DynamoDbClient dynamo, String table, String hashKey, String rangeKey, String ttlAttribute) {
    boolean exists;
    try {
      dynamo.describeTable(b -> b.tableName(table));
      exists = true;
    } catch (ResourceNotFoundException absent) {
      exists = false;
    }
    if (!exists) {
      List<AttributeDefinition> attributes = rangeKey == null
          ? List.of(stringAttribute(hashKey))
          : List.of(stringAttribute(hashKey), stringAttribute(rangeKey));
      List<KeySchemaElement> keys = rangeKey == null
          ? List.of(key(hashKey, KeyType.HASH))
          : List.of(key(hashKey, KeyType.HASH), key(rangeKey, KeyType.RANGE));
      try {
        dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(attributes).keySchema(keys));
      } catch (ResourceInUseException raced) {
        // Created by another process between describe and create: the outcome we want.
      }
    }
    dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    if (ttlOn(dynamo, table, ttlAttribute)) {
      return;
    }
    try {
      dynamo.updateTimeToLive(b -> b.tableName(table)
          .timeToLiveSpecification(t -> t.attributeName(ttlAttribute).enabled(true)));
    } catch (DynamoDbException e) {
      // Refused when another process turned TTL on in the meantime; judge by the table's state, not the message.
      if (!ttlOn(dynamo, table, ttlAttribute)) {
        throw e;
      }
    }
  }

  private static AttributeDefinition stringAttribute(String name) {
    return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  private static boolean ttlOn(DynamoDbClient dynamo, String table, String ttlAttribute) {
    var d = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
    return d != null && ttlAttribute.equals(d.attributeName())
        && (d.timeToLiveStatus() == TimeToLiveStatus.ENABLED || d.timeToLiveStatus() == TimeToLiveStatus.ENABLING);
  }
}
