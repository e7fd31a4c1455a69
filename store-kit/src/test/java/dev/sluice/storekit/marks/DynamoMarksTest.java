package dev.sluice.storekit.marks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

/**
 * The requests DynamoMarks makes, against a client that records them (the conditions themselves run against DynamoDB
 * Local in DynamoIdempotencyStoreIT and DynamoProcessedEventsIT).
 */
class DynamoMarksTest {
  private static final MarkLayout LAYOUT = MarkLayout.epochMillis("pk", "validUntil", "expiresAt");
  private static final Duration WINDOW = Duration.ofMinutes(10);
  private static final StoreKey KEY = StoreKey.of("g", "e-1");

  /** A value with an attribute of its own, as the gateway's marks carry where an event was appended. */
  private static final MarkCodec<String> TOPIC = new MarkCodec<>() {
    @Override
    public Map<String, AttributeValue> toItem(String value) {
      return Map.of("topic", AttributeValue.fromS(value));
    }

    @Override
    public String fromItem(Map<String, AttributeValue> item) {
      return item.get("topic").s();
    }
  };

  private final Vertx vertx = Vertx.vertx();
  private final AtomicReference<Instant> time = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));
  private final InstantSource clock = time::get;
  private final Recording dynamo = new Recording();
  private final DynamoMarks<String> marks = MarkTable.of(LAYOUT, TOPIC)
      .inDynamo(vertx, dynamo, "marks", MarkWindow.of(WINDOW, clock));

  /** Records every request; answers gets with {@link #item}, and fails puts while {@link #taken}. */
  private static final class Recording implements DynamoDbClient {
    final List<Object> requests = new ArrayList<>();
    volatile Map<String, AttributeValue> item = Map.of();
    volatile boolean taken;

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
      requests.add(request);
      if (taken) {
        throw ConditionalCheckFailedException.builder().message("taken").build();
      }
      return PutItemResponse.builder().build();
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
      requests.add(request);
      return GetItemResponse.builder().item(item).build();
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest request) {
      requests.add(request);
      return DeleteItemResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void markFirstIsAConditionalPutOfKeyExpiryAndValue() throws Exception {
    assertTrue(await(marks.markFirst(KEY, "retail")));
    PutItemRequest put = (PutItemRequest) dynamo.requests.get(0);
    long now = clock.millis();
    assertEquals("marks", put.tableName());
    assertEquals(Map.of(
        "pk", AttributeValue.fromS(KEY.value()),
        "validUntil", AttributeValue.fromN(Long.toString(now + WINDOW.toMillis())),
        "expiresAt", AttributeValue.fromN(Long.toString((now + WINDOW.toMillis() + 999) / 1000)),
        "topic", AttributeValue.fromS("retail")), put.item());
    assertEquals("attribute_not_exists(#key) OR #validUntil <= :now", put.conditionExpression());
    assertEquals(Map.of("#key", "pk", "#validUntil", "validUntil"), put.expressionAttributeNames());
    assertEquals(Map.of(":now", AttributeValue.fromN(Long.toString(now))), put.expressionAttributeValues());
    assertEquals(Optional.of(DynamoMarks.DEFAULT_CALL_TIMEOUT),
        put.overrideConfiguration().orElseThrow().apiCallTimeout());

    dynamo.taken = true;
    assertFalse(await(marks.markFirst(KEY, "other")), "a lost condition is an answer, not an error");
  }

  @Test
  void findIsAConsistentReadThatIgnoresExpiredItems() throws Exception {
    assertEquals(Optional.empty(), await(marks.find(KEY)), "no item");
    long now = clock.millis();
    Map<String, AttributeValue> item = new HashMap<>(LAYOUT.keyAndExpiry(KEY, now + 1));
    item.putAll(TOPIC.toItem("retail"));
    dynamo.item = item;
    assertEquals(Optional.of("retail"), await(marks.find(KEY)));
    time.updateAndGet(t -> t.plusMillis(1));
    assertEquals(Optional.empty(), await(marks.find(KEY)), "expired but not yet deleted by DynamoDB");

    GetItemRequest get = (GetItemRequest) dynamo.requests.get(0);
    assertEquals(Map.of("pk", AttributeValue.fromS(KEY.value())), get.key());
    assertTrue(get.consistentRead());
  }

  @Test
  void forgetDeletesTheItem() throws Exception {
    await(marks.forget(KEY));
    DeleteItemRequest delete = (DeleteItemRequest) dynamo.requests.get(0);
    assertEquals("marks", delete.tableName());
    assertEquals(Map.of("pk", AttributeValue.fromS(KEY.value())), delete.key());
  }
}
