package dev.sluice.storekit.dynamo;

import static dev.sluice.deploy.testing.MarkTableFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.MarkTableFixture;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * WorkerTable against DynamoDB Local: where its calls run, and what its reads and conditional writes answer when the
 * condition holds, when it fails, and when the table is missing. Items are {@code pk} and a numeric {@code version}.
 */
@ExtendWith(EnginesExtension.class)
class WorkerTableIT {
  private static final Map<String, AttributeValue> KEY = Map.of("pk", AttributeValue.fromS("job-1"));

  private MarkTableFixture t;
  private WorkerTable table;

  @BeforeEach
  void setUp(Engines engines) {
    t = new MarkTableFixture(engines, "worker-table-it", (dynamo, name) -> TableKeys.hash("pk")
        .createIfAbsent(dynamo, name));
    table = new WorkerTable(t.vertx, t.dynamo, t.table, t.clock);
  }

  @AfterEach
  void tearDown() throws Exception {
    t.close();
  }

  private static Map<String, AttributeValue> item(long version) {
    return Map.of("pk", KEY.get("pk"), "version", AttributeValue.fromN(Long.toString(version)));
  }

  /** Moves the item from {@code version} to the next, only if it is at {@code version}; returns {@code returned}. */
  private static Consumer<UpdateItemRequest.Builder> fromVersion(long version, ReturnValue returned) {
    return b -> b.updateExpression("SET #v = #v + :one")
        .conditionExpression("#v = :v")
        .expressionAttributeNames(Map.of("#v", "version"))
        .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(version)),
            ":one", AttributeValue.fromN("1")))
        .returnValues(returned);
  }

  @Test
  void aCallRunsOnAWorkerAndItsFutureCompletesOnTheCallersContext() throws Exception {
    Context caller = t.vertx.getOrCreateContext();
    Promise<List<Boolean>> seen = Promise.promise();
    caller.runOnContext(v -> table.blocking(Context::isOnWorkerThread)
        .onComplete(onWorker -> seen.complete(List.of(onWorker.result(), Context.isOnEventLoopThread(),
            t.vertx.getOrCreateContext() == caller))));
    assertEquals(List.of(true, true, true), await(seen.future()), "on a worker; back on the caller's event loop");
  }

  @Test
  void callsAreUnorderedSoOneNeedNotWaitForAnother() throws Exception {
    CountDownLatch secondRan = new CountDownLatch(1);
    Promise<Boolean> first = Promise.promise();
    t.vertx.getOrCreateContext().runOnContext(v -> {
      table.blocking(() -> secondRan.await(5, TimeUnit.SECONDS)).onComplete(first);
      table.blocking(() -> {
        secondRan.countDown();
        return null;
      });
    });
    assertTrue(await(first.future()), "the second call of the same context ran while the first waited for it");
  }

  @Test
  void putIfWritesOnlyWhileTheConditionHoldsAndGetNowReadsWhatIsThere() {
    assertEquals(Optional.empty(), table.getNow(KEY));
    Consumer<PutItemRequest.Builder> absent = b -> b.conditionExpression("attribute_not_exists(pk)");
    assertTrue(table.putIf(item(1), absent));
    assertFalse(table.putIf(item(7), absent), "a failed condition is an answer, not an error");
    assertEquals(Optional.of(item(1)), table.getNow(KEY), "the refused put changed nothing");
  }

  @Test
  void updateIfAnswersWhatTheWriteReturnedOrNothingWhenItsConditionFails() {
    table.dynamo().putItem(b -> b.tableName(t.table).item(item(1)));
    assertEquals(Optional.of(item(2)), table.updateIf(KEY, fromVersion(1, ReturnValue.ALL_NEW)));
    assertEquals(Optional.of(Map.of()), table.updateIf(KEY, fromVersion(2, ReturnValue.NONE)), "written; none asked");
    assertEquals(Optional.empty(), table.updateIf(KEY, fromVersion(2, ReturnValue.ALL_NEW)), "it is at 3 now");
    assertEquals(Optional.of(item(3)), table.getNow(KEY));
  }

  @Test
  void transactIfWritesAllOrNothingAndSaysWhichConditionCancelledIt() {
    TransactWriteItem putFirst = TransactWriteItem.builder().put(Put.builder().tableName(t.table).item(item(1))
        .conditionExpression("attribute_not_exists(pk)").build()).build();
    Map<String, AttributeValue> other = Map.of("pk", AttributeValue.fromS("job-2"));
    TransactWriteItem putOther = TransactWriteItem.builder().put(Put.builder().tableName(t.table).item(other)
        .conditionExpression("attribute_not_exists(pk)").build()).build();
    assertEquals(Optional.empty(), table.transactIf(List.of(putFirst)), "written");
    assertEquals(Optional.of(List.of("ConditionalCheckFailed", "None")),
        table.transactIf(List.of(putFirst, putOther)), "cancelled by the first action's condition");
    assertEquals(Optional.empty(), table.getNow(other), "all or nothing: the second was not written either");
  }

  @Test
  void scanReadsEveryItemWithinItsPageBudget() {
    for (int i = 0; i < 5; i++) {
      String pk = "job-" + i;
      table.dynamo().putItem(b -> b.tableName(t.table).item(Map.of("pk", AttributeValue.fromS(pk))));
    }
    assertEquals(5, table.scan(1).size(), "a small table is one page");
  }

  @Test
  void deleteIfDeletesOnlyWhileTheConditionHolds() {
    table.dynamo().putItem(b -> b.tableName(t.table).item(item(3)));
    Map<String, AttributeValue> atTwo = Map.of(":v", AttributeValue.fromN("2"));
    assertFalse(table.deleteIf(KEY, b -> b.conditionExpression("version = :v").expressionAttributeValues(atTwo)));
    assertEquals(Optional.of(item(3)), table.getNow(KEY));
    assertTrue(table.deleteIf(KEY, b -> b.conditionExpression("version > :v").expressionAttributeValues(atTwo)));
    assertEquals(Optional.empty(), table.getNow(KEY));
  }

  @Test
  void updateOrThrowAnswersTheItemAsWrittenOrThrowsWhatTheRefusalMakesOfTheItemAsItIs() {
    assertEquals(Optional.empty(), updateOrThrowRefusal(), "no item: nothing to lose to");
    table.dynamo().putItem(b -> b.tableName(t.table).item(item(1)));
    assertEquals(item(2), table.updateOrThrow(KEY, fromVersion(1, ReturnValue.NONE), Refused::new),
        "the item as written, whatever the update asked to return");
    assertEquals(Optional.of(item(2)), updateOrThrowRefusal(), "lost to version 2: the item as it is");
  }

  /** The item as {@code updateOrThrow} from version 1 found it when it was refused. */
  private Optional<Map<String, AttributeValue>> updateOrThrowRefusal() {
    return assertThrows(Refused.class, () -> table.updateOrThrow(KEY, fromVersion(1, ReturnValue.NONE), Refused::new))
        .current;
  }

  /** A refusal that keeps the item it was refused by. */
  private static final class Refused extends RuntimeException {
    final transient Optional<Map<String, AttributeValue>> current;

    Refused(Optional<Map<String, AttributeValue>> current) {
      this.current = current;
    }
  }

  @Test
  void onAMissingTableEveryCallFailsWithResourceNotFoundRatherThanAnAnswer() throws Exception {
    WorkerTable missing = new WorkerTable(t.vertx, t.dynamo, t.table + "-missing", t.clock);
    assertInstanceOf(ResourceNotFoundException.class,
        assertThrows(ExecutionException.class, () -> await(missing.blocking(() -> missing.getNow(KEY)))).getCause());
    assertThrows(ResourceNotFoundException.class, () -> missing.putIf(item(1), b -> {}));
    assertThrows(ResourceNotFoundException.class, () -> missing.updateIf(KEY, fromVersion(1, ReturnValue.NONE)));
    assertThrows(ResourceNotFoundException.class, () -> missing.deleteIf(KEY, b -> {}));
    assertThrows(ResourceNotFoundException.class,
        () -> missing.updateOrThrow(KEY, fromVersion(1, ReturnValue.NONE), Refused::new));
  }
}
