package dev.sluice.quarantine.store;

import static dev.sluice.quarantine.store.DynamoQuarantineCodec.HISTORY;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ID;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.NEXT_ATTEMPT_AT;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.OPEN_LANE;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.STATUS;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.UPDATED_AT;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.n;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.s;

import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import java.util.List;
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

  /**
   * An item that no delivery is under way for (QUARANTINED, RETRYING or PARKED; not REDRIVEN, whose redrive settles
   * it) moves to the final status {@code to} with {@code audit} in its history, as one conditional write, and leaves
   * the open-lane index: it holds no key back any more, and a retry or release that comes later finds it settled.
   */
  static Future<QuarantineItem> settleOpen(WorkerTable table, String id, QuarantineStatus to, AuditEntry audit) {
    if (to.isOpen()) {
      throw new IllegalArgumentException(to + " is not final");
    }
    Map<String, String> names = Map.of("#status", STATUS, "#updatedAt", UPDATED_AT, "#history", HISTORY,
        "#openLane", OPEN_LANE, "#nextAttemptAt", NEXT_ATTEMPT_AT);
    Map<String, AttributeValue> values = Map.of(
        ":to", s(to.name()),
        ":q", s(QuarantineStatus.QUARANTINED.name()),
        ":r", s(QuarantineStatus.RETRYING.name()),
        ":p", s(QuarantineStatus.PARKED.name()),
        ":now", n(audit.at().toEpochMilli()),
        ":empty", AttributeValue.fromL(List.of()),
        ":audit", AttributeValue.fromL(List.of(DynamoQuarantineCodec.audit(audit))));
    return update(table, id, QuarantineStatus.QUARANTINED,
        "SET #status = :to, #updatedAt = :now, #history = list_append(if_not_exists(#history, :empty), :audit) "
            + "REMOVE #openLane, #nextAttemptAt",
        "#status IN (:q, :r, :p)", names, values);
  }
}
