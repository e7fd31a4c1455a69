package dev.sluice.storekit.dynamo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The keys of a small on-demand table: a string hash key, and a string range key or none. Most of Sluice's tables are
 * such (sessions, jobs, dedup marks, group heartbeats, the demo view); the quarantine table, with its indexes, is not.
 */
public record TableKeys(String hashKey, Optional<String> rangeKey) {
  public TableKeys {
    Objects.requireNonNull(hashKey, "hashKey");
    Objects.requireNonNull(rangeKey, "rangeKey");
  }

  /** A string hash key only. */
  public static TableKeys hash(String hashKey) {
    return new TableKeys(hashKey, Optional.empty());
  }

  /** A string hash key and a string range key. */
  public static TableKeys hashAndRange(String hashKey, String rangeKey) {
    return new TableKeys(hashKey, Optional.of(rangeKey));
  }

  /** The same keys, on a table whose items expire by DynamoDB's TTL on {@code ttlAttribute}. */
  public TtlTable expiringOn(String ttlAttribute) {
    return new TtlTable(this, ttlAttribute);
  }

  /** Creates {@code table} with these keys unless it is there: {@link Tables#createIfAbsent}. Blocking. */
  public Tables.Creation createIfAbsent(DynamoDbClient dynamo, String table) {
    return Tables.createIfAbsent(dynamo, createRequest(table));
  }

  /** An on-demand table with these keys. */
  public CreateTableRequest createRequest(String table) {
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

  private static AttributeDefinition stringAttribute(String name) {
    return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
  }
}
