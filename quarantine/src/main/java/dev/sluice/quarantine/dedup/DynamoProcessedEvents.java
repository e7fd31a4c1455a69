package dev.sluice.quarantine.dedup;

import dev.sluice.quarantine.aws.DynamoTables;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Marks shared by every instance of a consumer group: one DynamoDB item per {@link EventKey#storeKey()} ({@code pk}),
 * with {@code validUntil} (epoch millis, what the code compares) and {@code expiresAt} (epoch seconds, rounded up: the
 * table's TTL attribute, which only bounds the table's size).
 *
 * <ul>
 *   <li>{@link #firstTime} is a conditional put, {@code attribute_not_exists(pk) OR validUntil <= :now}: of concurrent
 *       callers, on any instance, exactly one wins; an expired mark is replaced.</li>
 *   <li>{@link #seen} is a consistent GetItem that ignores expired marks: DynamoDB deletes expired items only
 *       eventually (typically within days; DynamoDB Local lazily), so presence alone proves nothing.</li>
 *   <li>{@link #forget} deletes the item.</li>
 * </ul>
 *
 * <p>The SDK client blocks, so every call runs on a Vert.x worker ({@code executeBlocking(..., false)}, unordered) with
 * its own API call timeout, so that a slow DynamoDB holds a worker thread for at most that long. Results come back on
 * the caller's context.
 */
public final class DynamoProcessedEvents implements ProcessedEvents {
  static final String PK = "pk";
  static final String VALID_UNTIL = "validUntil";
  static final String EXPIRES_AT = "expiresAt";
  /** Default bound of one DynamoDB call, SDK retries included. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(2);

  private final Vertx vertx;
  private final DynamoDbClient dynamo;
  private final String table;
  private final Duration window;
  private final Clock clock;
  private final AwsRequestOverrideConfiguration callTimeout;

  public DynamoProcessedEvents(Vertx vertx, DynamoDbClient dynamo, String table, Duration window, Clock clock) {
    this(vertx, dynamo, table, window, clock, DEFAULT_CALL_TIMEOUT);
  }

  public DynamoProcessedEvents(
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
  public Future<Boolean> firstTime(String scope, String eventId) {
    String key = EventKey.storeKey(scope, eventId);
    // The time is taken on the caller's thread, when the event is handled, not when a worker gets to it.
    long now = clock.millis();
    long validUntil = now + window.toMillis();
    return vertx.executeBlocking(() -> {
      try {
        dynamo.putItem(b -> b.tableName(table)
            .item(Map.of(
                PK, AttributeValue.fromS(key),
                VALID_UNTIL, AttributeValue.fromN(Long.toString(validUntil)),
                // Rounded up, so DynamoDB never deletes a mark before it expires.
                EXPIRES_AT, AttributeValue.fromN(Long.toString((validUntil + 999) / 1000))))
            .conditionExpression("attribute_not_exists(#pk) OR #validUntil <= :now")
            .expressionAttributeNames(Map.of("#pk", PK, "#validUntil", VALID_UNTIL))
            .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now))))
            .overrideConfiguration(callTimeout));
        return true;
      } catch (ConditionalCheckFailedException markedBefore) {
        // A valid mark exists: written earlier, or by a concurrent caller (possibly on another instance) that won.
        return false;
      }
    }, false);
  }

  @Override
  public Future<Boolean> seen(String scope, String eventId) {
    String key = EventKey.storeKey(scope, eventId);
    long now = clock.millis();
    return vertx.executeBlocking(() -> {
      GetItemResponse resp = dynamo.getItem(b -> b.tableName(table)
          .key(Map.of(PK, AttributeValue.fromS(key)))
          .consistentRead(true)
          .overrideConfiguration(callTimeout));
      if (!resp.hasItem() || resp.item().isEmpty()) {
        return false;
      }
      AttributeValue validUntil = resp.item().get(VALID_UNTIL);
      return validUntil != null && Long.parseLong(validUntil.n()) > now;
    }, false);
  }

  @Override
  public Future<Void> forget(String scope, String eventId) {
    String key = EventKey.storeKey(scope, eventId);
    return vertx.executeBlocking(() -> {
      dynamo.deleteItem(b -> b.tableName(table)
          .key(Map.of(PK, AttributeValue.fromS(key)))
          .overrideConfiguration(callTimeout));
      return null;
    }, false);
  }

  /**
   * Creates the table if it does not exist (hash key {@code pk}, on-demand billing), waits until it exists, and turns
   * on TTL on {@code expiresAt} if it is not on yet. Idempotent, also when several processes race. Blocking: call it
   * from a worker or at start-up, never on an event loop.
   */
  public static void ensureTable(DynamoDbClient dynamo, String table) {
    DynamoTables.ensureWithTtl(dynamo, table, PK, null, EXPIRES_AT);
  }

}
