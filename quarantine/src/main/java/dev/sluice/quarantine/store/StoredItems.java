package dev.sluice.quarantine.store;

import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ID;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.s;

import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One quarantine item, by id, on the store's table: a strongly consistent read, and the conditional UpdateItem that
 * every status transition is. The store's reads, the consumers' writes and the operators' actions all go through
 * these, so a transition that lost reads the same everywhere: a typed {@link StoreException}.
 */
final class StoredItems {
  private StoredItems() {}

  /** The item's key. */
  static Map<String, AttributeValue> key(String id) {
    return Map.of(ID, s(id));
  }

  /** A strongly consistent read of one item; blocking. */
  static Optional<QuarantineItem> getNow(WorkerTable table, String id) {
    return table.getNow(key(id)).map(DynamoQuarantineCodec::fromAttributes);
  }

  /**
   * One conditional UpdateItem on a worker, answering the item as written. A failed condition becomes
   * {@link StoreException.StatusConflict} (the item is not in {@code expected}: someone moved it first), or
   * {@link StoreException.NotFound} when there is no item.
   */
  static Future<QuarantineItem> update(WorkerTable table, String id, QuarantineStatus expected,
      String updateExpression, String condition, Map<String, String> names, Map<String, AttributeValue> values) {
    return table.blocking(() -> DynamoQuarantineCodec.fromAttributes(table.updateOrThrow(key(id), b -> b
            .updateExpression(updateExpression)
            .conditionExpression(condition)
            .expressionAttributeNames(names)
            .expressionAttributeValues(values),
        current -> current.map(DynamoQuarantineCodec::fromAttributes)
            .<StoreException>map(item -> new StoreException.StatusConflict(id, expected, item.status()))
            .orElseGet(() -> new StoreException.NotFound(id)))));
  }
}
