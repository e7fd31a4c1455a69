package dev.sluice.gateway.dedup;

import dev.sluice.ingest.kafka.Appended;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The idempotency store for several gateway replicas: one DynamoDB item per event key ({@code pk}, the SHA-256 of
 * source and id), with the append's topic, partition and offset, and {@code expiresAt} (epoch seconds) as the table's
 * TTL attribute.
 *
 * <ul>
 *   <li>{@link #remember} is a conditional put, {@code attribute_not_exists(pk) OR expiresAt <= :now}: the first
 *       result stands until it expires, and an expired item is replaced. Losing the condition is not an error.</li>
 *   <li>{@link #find} is a consistent GetItem that ignores expired items: DynamoDB deletes expired items only
 *       eventually (typically within days), so the TTL bounds the table's size, not the window.</li>
 * </ul>
 *
 * <p>The SDK client blocks, so every call runs on a Vert.x worker ({@code executeBlocking(..., false)}, unordered) and
 * has its own API call timeout, so that a slow DynamoDB holds a worker thread for at most that long.
 */
public final class DynamoIdempotencyStore implements IdempotencyStore {
  static final String PK = "pk";
  static final String TOPIC = "topic";
  static final String PARTITION = "kafkaPartition";
  static final String OFFSET = "kafkaOffset";
  static final String EXPIRES_AT = "expiresAt";
  /** Default bound of one DynamoDB call, retries included. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(2);

  private final Vertx vertx;
  private final DynamoDbClient dynamo;
  private final String table;
  private final Duration window;
  private final Clock clock;
  private final AwsRequestOverrideConfiguration callTimeout;

  public DynamoIdempotencyStore(Vertx vertx, DynamoDbClient dynamo, String table, Duration window, Clock clock) {
    this(vertx, dynamo, table, window, clock, DEFAULT_CALL_TIMEOUT);
  }

  public DynamoIdempotencyStore(
      Vertx vertx, DynamoDbClient dynamo, String table, Duration window, Clock clock, Duration callTimeout) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
    this.window = Objects.requireNonNull(window, "window");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("the dedup window must be positive, was " + window);
    }
    this.callTimeout = AwsRequestOverrideConfiguration.builder().apiCallTimeout(callTimeout).build();
  }

  @Override
  public Future<Optional<Appended>> find(String source, String id) {
    String key = DedupKey.of(source, id);
    return vertx.executeBlocking(() -> {
      GetItemResponse resp = dynamo.getItem(b -> b.tableName(table)
          .key(Map.of(PK, AttributeValue.fromS(key)))
          .consistentRead(true)
          .overrideConfiguration(callTimeout));
      if (!resp.hasItem() || resp.item().isEmpty()) {
        return Optional.<Appended>empty();
      }
      Map<String, AttributeValue> item = resp.item();
      if (Long.parseLong(item.get(EXPIRES_AT).n()) <= nowSeconds()) {
        return Optional.<Appended>empty();
      }
      return Optional.of(new Appended(item.get(TOPIC).s(), Integer.parseInt(item.get(PARTITION).n()),
          Long.parseLong(item.get(OFFSET).n())));
    }, false);
  }

  @Override
  public Future<Void> remember(String source, String id, Appended appended) {
    String key = DedupKey.of(source, id);
    return vertx.executeBlocking(() -> {
      long now = nowSeconds();
      // Rounded up, so an entry is never kept for less than the window.
      long expiresAt = now + (window.toMillis() + 999) / 1000;
      try {
        dynamo.putItem(b -> b.tableName(table)
            .item(Map.of(
                PK, AttributeValue.fromS(key),
                TOPIC, AttributeValue.fromS(appended.topic()),
                PARTITION, AttributeValue.fromN(Integer.toString(appended.partition())),
                OFFSET, AttributeValue.fromN(Long.toString(appended.offset())),
                EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt))))
            .conditionExpression("attribute_not_exists(#pk) OR #expiresAt <= :now")
            .expressionAttributeNames(Map.of("#pk", PK, "#expiresAt", EXPIRES_AT))
            .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now))))
            .overrideConfiguration(callTimeout));
      } catch (ConditionalCheckFailedException alreadyRemembered) {
        // Another request (possibly on another replica) remembered this event first and its entry is still valid:
        // that first result is the one duplicates get.
      }
      return null;
    }, false);
  }

  private long nowSeconds() {
    return clock.instant().getEpochSecond();
  }

  /**
   * Creates the table if it does not exist (hash key {@code pk}, on-demand billing), waits until it exists, and turns
   * on TTL on {@code expiresAt} if it is not on yet. Idempotent, also when several processes race. Blocking: call it
   * from a worker or at start-up, never on an event loop.
   */
  public static void ensureTable(DynamoDbClient dynamo, String table) {
    boolean exists;
    try {
      dynamo.describeTable(b -> b.tableName(table));
      exists = true;
    } catch (ResourceNotFoundException absent) {
      exists = false;
    }
    if (!exists) {
      try {
        dynamo.createTable(b -> b.tableName(table)
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(AttributeDefinition.builder()
                .attributeName(PK).attributeType(ScalarAttributeType.S).build())
            .keySchema(KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build()));
      } catch (ResourceInUseException raced) {
        // Created by another process between describe and create: the outcome we want.
      }
    }
    dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    if (ttlOn(dynamo, table)) {
      return;
    }
    try {
      dynamo.updateTimeToLive(b -> b.tableName(table)
          .timeToLiveSpecification(t -> t.attributeName(EXPIRES_AT).enabled(true)));
    } catch (DynamoDbException e) {
      // Refused when another process turned TTL on in the meantime; judge by the table's state, not the message.
      if (!ttlOn(dynamo, table)) {
        throw e;
      }
    }
  }

  private static boolean ttlOn(DynamoDbClient dynamo, String table) {
    var d = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
    return d != null && EXPIRES_AT.equals(d.attributeName())
        && (d.timeToLiveStatus() == TimeToLiveStatus.ENABLED || d.timeToLiveStatus() == TimeToLiveStatus.ENABLING);
  }
}
