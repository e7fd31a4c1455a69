package dev.sluice.quarantine.store;

import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ID;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.s;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Where the quarantine items live: one DynamoDB table, its client, the Vert.x instance whose workers call it, and the
 * clock of its timestamps. The store's reads, the consumers' writes, the operators' actions and the search all work
 * on one of these, so they share the table and client without knowing of each other.
 *
 * <p>The SDK client blocks, so each call runs on a Vert.x worker thread (unordered, so calls may run in parallel) and
 * comes back as a Future on the caller's context.
 */
public record StoreTable(Vertx vertx, DynamoDbClient dynamo, String name, Clock clock) {

  <T> Future<T> blocking(Callable<T> call) {
    return vertx.executeBlocking(call, false);
  }

  /** A strongly consistent read of one item; blocking. */
  Optional<QuarantineItem> getNow(String id) {
    var resp = dynamo.getItem(b -> b.tableName(name).key(Map.of(ID, s(id))).consistentRead(true));
    return resp.hasItem() && !resp.item().isEmpty()
        ? Optional.of(DynamoQuarantineCodec.fromAttributes(resp.item()))
        : Optional.empty();
  }

  /** One conditional UpdateItem; a failed condition becomes a typed {@link StoreException}. */
  Future<QuarantineItem> update(String id, QuarantineStatus expected, String updateExpression,
      String condition, Map<String, String> names, Map<String, AttributeValue> values) {
    UpdateItemRequest req = UpdateItemRequest.builder()
        .tableName(name)
        .key(Map.of(ID, s(id)))
        .updateExpression(updateExpression)
        .conditionExpression(condition)
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .returnValues(ReturnValue.ALL_NEW)
        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
        .build();
    return blocking(() -> {
      try {
        return DynamoQuarantineCodec.fromAttributes(dynamo.updateItem(req).attributes());
      } catch (ConditionalCheckFailedException e) {
        Optional<QuarantineItem> current = e.hasItem() && !e.item().isEmpty()
            ? Optional.of(DynamoQuarantineCodec.fromAttributes(e.item()))
            : getNow(id);
        throw current
            .<StoreException>map(item -> new StoreException.StatusConflict(id, expected, item.status()))
            .orElseGet(() -> new StoreException.NotFound(id));
      }
    });
  }
}
