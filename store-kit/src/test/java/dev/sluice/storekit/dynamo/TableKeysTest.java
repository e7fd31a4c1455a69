package dev.sluice.storekit.dynamo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The table shapes (and the TTL value); creating tables and turning TTL on runs against DynamoDB Local in the ITs. */
class TableKeysTest {
  @Test
  void aHashKeyOnlyTable() {
    CreateTableRequest r = TableKeys.hash("pk").createRequest("t");
    assertEquals("t", r.tableName());
    assertEquals(BillingMode.PAY_PER_REQUEST, r.billingMode());
    assertEquals(List.of(string("pk")), r.attributeDefinitions());
    assertEquals(List.of(key("pk", KeyType.HASH)), r.keySchema());
  }

  @Test
  void aTableWithARangeKey() {
    CreateTableRequest r = TableKeys.hashAndRange("group", "instance").createRequest("t");
    assertEquals(List.of(string("group"), string("instance")), r.attributeDefinitions());
    assertEquals(List.of(key("group", KeyType.HASH), key("instance", KeyType.RANGE)), r.keySchema());
  }

  @Test
  void aTableWithIndexesDefinesEachKeyAttributeOnceAndProjectsEverything() {
    CreateTableRequest r = TableKeys.hashAndRange("day", "sk").createRequest("t",
        TableKeys.hashAndRange("itemId", "sk").index("by-item"), TableKeys.hash("actor").index("by-actor"));
    assertEquals(List.of(string("day"), string("sk"), string("itemId"), string("actor")), r.attributeDefinitions(),
        "sk, the range key of the table and of by-item, is defined once");
    assertEquals(List.of(key("day", KeyType.HASH), key("sk", KeyType.RANGE)), r.keySchema());
    assertEquals(List.of("by-item", "by-actor"), r.globalSecondaryIndexes().stream()
        .map(GlobalSecondaryIndex::indexName).toList());
    assertEquals(List.of(key("itemId", KeyType.HASH), key("sk", KeyType.RANGE)),
        r.globalSecondaryIndexes().get(0).keySchema());
    assertEquals(List.of(key("actor", KeyType.HASH)), r.globalSecondaryIndexes().get(1).keySchema());
    r.globalSecondaryIndexes().forEach(i -> assertEquals(ProjectionType.ALL, i.projection().projectionType()));
    assertFalse(TableKeys.hash("pk").createRequest("t").hasGlobalSecondaryIndexes(), "no indexes: none asked for");
  }

  @Test
  void theTtlValueIsRoundedUpToWholeSeconds() {
    assertEquals(List.of(0L, 1L, 1L, 2L),
        LongStream.of(0, 1, 1_000, 1_001).map(TtlTable::ttlSeconds).boxed().toList(), "epoch millis 0, 1, 1000, 1001");
  }

  private static AttributeDefinition string(String name) {
    return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }
}
