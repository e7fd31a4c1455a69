package dev.sluice.deploy.provision;

import dev.sluice.deploy.provision.Provisioner.Outcome;
import dev.sluice.deploy.provision.Provisioner.Step;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The DynamoDB side of provisioning. The table layouts live with the code that uses them; this only runs their
 * idempotent {@code ensure} and compares the table before and after to report what happened.
 */
final class TableProvisioner {
  private TableProvisioner() {}

  /** What the report compares before and after: existence, indexes, TTL. */
  private record TableShape(boolean exists, Set<String> indexes, String ttlAttribute) {
    static TableShape of(DynamoDbClient dynamo, String table) {
      TableDescription t;
      try {
        t = dynamo.describeTable(b -> b.tableName(table)).table();
      } catch (ResourceNotFoundException absent) {
        return new TableShape(false, Set.of(), null);
      }
      Set<String> indexes = new TreeSet<>();
      if (t.hasGlobalSecondaryIndexes()) {
        t.globalSecondaryIndexes().stream().map(GlobalSecondaryIndexDescription::indexName).forEach(indexes::add);
      }
      TimeToLiveDescription ttl = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
      boolean on = ttl != null && (ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED
          || ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLING);
      return new TableShape(true, indexes, on ? ttl.attributeName() : null);
    }

    String describe() {
      return (indexes.isEmpty() ? "no indexes" : "indexes " + String.join(", ", indexes))
          + (ttlAttribute == null ? ", no TTL" : ", TTL on " + ttlAttribute);
    }
  }

  /** Runs the table owner's idempotent {@code ensure} and reports by comparing the table before and after. */
  static Step ensureTable(DynamoDbClient dynamo, String table, String purpose,
      Function<String, Boolean> ensure) {
    TableShape before = TableShape.of(dynamo, table);
    ensure.apply(table);
    TableShape after = TableShape.of(dynamo, table);
    Outcome outcome = !before.exists() ? Outcome.CREATED : before.equals(after) ? Outcome.EXISTS : Outcome.UPDATED;
    return new Step(outcome, "dynamodb table", table, purpose + ", " + after.describe());
  }
}
