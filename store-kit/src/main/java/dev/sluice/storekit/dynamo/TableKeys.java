package dev.sluice.storekit.dynamo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The keys of a small on-demand table, or of one of its indexes: a string hash key, and a string range key or none.
 * Most of Sluice's tables are such (sessions, jobs, dedup marks, group heartbeats, the demo view, the audit trail with
 * its indexes); the quarantine table, with its numeric index keys, is not.
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

  /** A global secondary index with these keys, named {@code name}: see {@link #createRequest}. */
  public Index index(String name) {
    return new Index(name, this);
  }

  /** A global secondary index of a table: its name and keys. It projects every attribute. */
  public record Index(String name, TableKeys keys) {
    public Index {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(keys, "keys");
    }

    GlobalSecondaryIndex definition() {
      return GlobalSecondaryIndex.builder().indexName(name).keySchema(keys.keySchema())
          .projection(p -> p.projectionType(ProjectionType.ALL)).build();
    }
  }

  /**
   * An on-demand table with these keys and {@code indexes}, if any. A key attribute that indexes share with the table
   * (or with each other) is defined once: DynamoDB refuses a request that defines one twice.
   */
  public CreateTableRequest createRequest(String table, Index... indexes) {
    Set<String> keyAttributes = new LinkedHashSet<>(attributeNames());
    for (Index index : indexes) {
      keyAttributes.addAll(index.keys().attributeNames());
    }
    CreateTableRequest.Builder request = CreateTableRequest.builder().tableName(table)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(keyAttributes.stream().map(TableKeys::stringAttribute).toList())
        .keySchema(keySchema());
    if (indexes.length > 0) {
      request.globalSecondaryIndexes(Arrays.stream(indexes).map(Index::definition).toList());
    }
    return request.build();
  }

  private List<String> attributeNames() {
    List<String> names = new ArrayList<>(List.of(hashKey));
    rangeKey.ifPresent(names::add);
    return names;
  }

  private List<KeySchemaElement> keySchema() {
    List<KeySchemaElement> keys = new ArrayList<>(List.of(key(hashKey, KeyType.HASH)));
    rangeKey.ifPresent(range -> keys.add(key(range, KeyType.RANGE)));
    return keys;
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  private static AttributeDefinition stringAttribute(String name) {
    return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
  }
}
