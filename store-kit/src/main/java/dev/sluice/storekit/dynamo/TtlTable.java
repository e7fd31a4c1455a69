package dev.sluice.storekit.dynamo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The shape of a small on-demand table whose items expire by themselves (dedup marks, sessions, group heartbeats):
 * string keys, and DynamoDB's TTL on one numeric attribute (epoch seconds). DynamoDB deletes expired items only
 * eventually (typically within days), so the TTL bounds a table's size; readers must still ignore expired items.
 *
 * <pre>{@code TtlTable.keyedBy("pk").expiringOn("expiresAt").ensure(dynamo, "sluice-processed-events")}</pre>
 */
public record TtlTable(String hashKey, Optional<String> rangeKey, String ttlAttribute) {
  public TtlTable {
    Objects.requireNonNull(hashKey, "hashKey");
    Objects.requireNonNull(rangeKey, "rangeKey");
    Objects.requireNonNull(ttlAttribute, "ttlAttribute");
  }

  /** The keys of a table still waiting for its TTL attribute. */
  public record Keys(String hashKey, Optional<String> rangeKey) {
    public Keys {
      Objects.requireNonNull(hashKey, "hashKey");
      Objects.requireNonNull(rangeKey, "rangeKey");
    }

    public TtlTable expiringOn(String ttlAttribute) {
      return new TtlTable(hashKey, rangeKey, ttlAttribute);
    }
  }

  /** A table with a string hash key only. */
  public static Keys keyedBy(String hashKey) {
    return new Keys(hashKey, Optional.empty());
  }

  /** A table with a string hash key and a string range key. */
  public static Keys keyedBy(String hashKey, String rangeKey) {
    return new Keys(hashKey, Optional.of(rangeKey));
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
    Tables.Creation creation = Tables.createIfAbsent(dynamo, createRequest(table));
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

  CreateTableRequest createRequest(String table) {
    List<AttributeDefinition> attributes = new ArrayList<>();
    List<KeySchemaElement> keys = new ArrayList<>();
    attributes.add(stringAttribute(hashKey));
    keys.add(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build());
    rangeKey.ifPresent(range -> {
      attributes.add(stringAttribute(range));
      keys.add(KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build());
    });
    return CreateTableRequest.builder().tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(attributes).keySchema(keys).build();
  }

  private boolean ttlOn(DynamoDbClient dynamo, String table) {
    TimeToLiveDescription d = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
    return d != null && ttlAttribute.equals(d.attributeName())
        && (d.timeToLiveStatus() == TimeToLiveStatus.ENABLED || d.timeToLiveStatus() == TimeToLiveStatus.ENABLING);
  }

  private static AttributeDefinition stringAttribute(String name) {
    return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
  }
}
