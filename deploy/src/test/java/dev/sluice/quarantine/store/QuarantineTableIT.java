package dev.sluice.quarantine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;

/** A quarantine table made before the find indexes existed gets them on the next start, without losing anything. */
@ExtendWith(EnginesExtension.class)
class QuarantineTableIT {
  @Test
  void anOlderTableGainsTheGroupAndStreamIndexes(Engines engines) {
    String table = "table-it-" + UUID.randomUUID().toString().substring(0, 8);
    try (DynamoDbClient dynamo = AwsClients.dynamo(AwsConfig.local(engines.dynamoEndpoint(), engines.sqsEndpoint()))) {
      // The layout before the console's find: the status and open-lane indexes only.
      CreateTableRequest current = QuarantineTable.definition(table);
      dynamo.createTable(current.toBuilder()
          .globalSecondaryIndexes(current.globalSecondaryIndexes().stream()
              .filter(i -> Set.of(QuarantineTable.BY_STATUS_INDEX, QuarantineTable.BY_LANE_INDEX)
                  .contains(i.indexName()))
              .toList())
          .attributeDefinitions(current.attributeDefinitions().stream()
              .filter(a -> !Set.of("consumerGroup", "stream").contains(a.attributeName()))
              .toList())
          .build());
      dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));

      assertTrue(QuarantineTable.ensure(dynamo, table), "it added the missing indexes");
      Set<String> active = dynamo.describeTable(b -> b.tableName(table)).table().globalSecondaryIndexes().stream()
          .filter(i -> i.indexStatus() == IndexStatus.ACTIVE)
          .map(GlobalSecondaryIndexDescription::indexName)
          .collect(Collectors.toSet());
      assertEquals(Set.of(QuarantineTable.BY_STATUS_INDEX, QuarantineTable.BY_LANE_INDEX,
          QuarantineTable.BY_GROUP_INDEX, QuarantineTable.BY_STREAM_INDEX), active);
      assertFalse(QuarantineTable.ensure(dynamo, table), "and nothing more the next time");
    }
  }
}
