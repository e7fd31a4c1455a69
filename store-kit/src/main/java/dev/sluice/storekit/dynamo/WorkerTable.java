package dev.sluice.storekit.dynamo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A DynamoDB table as a Vert.x service uses it: its name, the client that reaches it, the Vert.x instance whose worker
 * threads make the calls, and the clock its items' times are taken from (injected, so tests move time by hand; a
 * {@code Clock} is one).
 *
 * <p>The SDK client blocks, so a service never calls it on an event loop: it hands the call to {@link #blocking},
 * which runs it on a worker and completes the Future on the caller's context. The other methods are the reads and
 * conditional writes the services make alike; they block, and run inside such a call. A conditional write whose
 * condition fails is an answer (someone else wrote first), not an error: they say so in their result, and every other
 * failure of the SDK (a missing table, a timeout) is thrown as it is.
 */
public record WorkerTable(Vertx vertx, DynamoDbClient dynamo, String name, InstantSource clock) {
  public WorkerTable {
    // Every component is required: List.of refuses a null one, at once.
    List.of(vertx, dynamo, name, clock);
  }

  /**
   * Runs {@code call} on a worker thread and completes on the caller's context. Unordered: the services' calls are
   * independent of each other, so they may run in parallel rather than queue behind a slow one.
   */
  public <T> Future<T> blocking(Callable<T> call) {
    return vertx.executeBlocking(call, false);
  }

  /** The item under {@code key}, read strongly consistent; empty if there is none. Blocking. */
  public Optional<Map<String, AttributeValue>> getNow(Map<String, AttributeValue> key) {
    return getNow(key, request -> {});
  }

  /** {@link #getNow(Map)}, with more said of the read by {@code more} (a projection, a call timeout). Blocking. */
  public Optional<Map<String, AttributeValue>> getNow(Map<String, AttributeValue> key,
      Consumer<GetItemRequest.Builder> more) {
    Map<String, AttributeValue> item = dynamo.getItem(b -> more.accept(b.tableName(name).key(key).consistentRead(true)))
        .item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
  }

  /**
   * The table's items, read by a scan of at most {@code pageBudget} pages (each up to 1 MB): what a small table of
   * things made by hand (jobs, replays) is listed from, at a bounded cost. Not strongly consistent. Blocking.
   */
  public List<Map<String, AttributeValue>> scan(int pageBudget) {
    return scan(pageBudget, b -> { });
  }

  /**
   * As {@link #scan(int)}, each page's request completed by {@code more} (a filter, strong consistency, a call
   * timeout): the items its filter keeps, of at most {@code pageBudget} pages read. Blocking.
   */
  public List<Map<String, AttributeValue>> scan(int pageBudget, Consumer<ScanRequest.Builder> more) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    int pages = 0;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page = dynamo.scan(b -> {
        more.accept(b.tableName(name));
        if (from != null) {
          b.exclusiveStartKey(from);
        }
      });
      items.addAll(page.items());
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null && ++pages < pageBudget);
    return items;
  }

  /**
   * Puts {@code item} on the condition {@code condition} states (its expression, names and values; and anything more,
   * such as a call timeout): true if it was written, false if the condition failed and nothing was. Blocking.
   */
  public boolean putIf(Map<String, AttributeValue> item, Consumer<PutItemRequest.Builder> condition) {
    return unlessRefused(() -> dynamo.putItem(b -> condition.accept(b.tableName(name).item(item)))).isPresent();
  }

  /**
   * Updates the item under {@code key} as {@code update} says (its update and condition expressions, names, values and
   * {@code returnValues}): the attributes the write returned (none unless asked), or empty if the condition failed and
   * nothing was written. Blocking.
   */
  public Optional<Map<String, AttributeValue>> updateIf(Map<String, AttributeValue> key,
      Consumer<UpdateItemRequest.Builder> update) {
    return unlessRefused(() -> dynamo.updateItem(b -> update.accept(b.tableName(name).key(key))).attributes());
  }

  /**
   * Deletes the item under {@code key} on the condition {@code condition} states: true if it was deleted (or was not
   * there, when the condition allows that), false if the condition failed and nothing was deleted. Blocking.
   */
  public boolean deleteIf(Map<String, AttributeValue> key, Consumer<DeleteItemRequest.Builder> condition) {
    return unlessRefused(() -> dynamo.deleteItem(b -> condition.accept(b.tableName(name).key(key)))).isPresent();
  }

  /**
   * Writes {@code actions} (on this table or others) in one transaction, all or nothing: empty if they were written;
   * if DynamoDB cancelled the transaction, its reason for each action, in order ({@code ConditionalCheckFailed},
   * {@code TransactionConflict} when another write raced it, {@code None} for one that did not cause it). A
   * cancellation is an answer, as a failed condition is; any other failure is thrown as it is. Blocking.
   */
  public Optional<List<String>> transactIf(List<TransactWriteItem> actions) {
    try {
      dynamo.transactWriteItems(b -> b.transactItems(actions));
      return Optional.empty();
    } catch (TransactionCanceledException cancelled) {
      return Optional.of(cancelled.hasCancellationReasons()
          ? cancelled.cancellationReasons().stream().map(CancellationReason::code).toList()
          : List.of());
    }
  }

  /**
   * Updates the item under {@code key} as {@code update} says and answers the item as written. If the condition fails,
   * throws what {@code refused} makes of the item as it is then ({@link #current}): a state change that lost tells its
   * caller what it lost to. Blocking.
   */
  public Map<String, AttributeValue> updateOrThrow(Map<String, AttributeValue> key,
      Consumer<UpdateItemRequest.Builder> update,
      Function<Optional<Map<String, AttributeValue>>, ? extends RuntimeException> refused) {
    try {
      return dynamo.updateItem(b -> {
        update.accept(b.tableName(name).key(key));
        // Asked for after the caller's part: what this method answers and hands to refused depends on them.
        b.returnValues(ReturnValue.ALL_NEW)
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
      }).attributes();
    } catch (ConditionalCheckFailedException e) {
      throw refused.apply(current(e, key));
    }
  }

  /**
   * The item under {@code key} as it is after a write's condition failed on it: the one DynamoDB sent back with the
   * failure (a write that asks for {@code ALL_OLD} gets it), or, when none came back (there was no item then), a
   * strongly consistent read, which also sees an item written since. Empty if there is none. Blocking.
   */
  public Optional<Map<String, AttributeValue>> current(ConditionalCheckFailedException failed,
      Map<String, AttributeValue> key) {
    return failed.hasItem() && !failed.item().isEmpty() ? Optional.of(failed.item()) : getNow(key);
  }

  /** What {@code write} answered, or empty if its condition failed and nothing was written. */
  private static <T> Optional<T> unlessRefused(Supplier<T> write) {
    try {
      return Optional.of(write.get());
    } catch (ConditionalCheckFailedException refused) {
      return Optional.empty();
    }
  }
}
