package dev.sluice.storekit.marks;

import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Marks shared by every process: one DynamoDB item per {@link StoreKey}, laid out as its {@link MarkTable} says (the
 * {@link MarkLayout}'s key and expiry, the {@link MarkCodec}'s value). Create the table with {@link MarkTable#ensure}.
 *
 * <ul>
 *   <li>{@link #markFirst} is a conditional put, {@code attribute_not_exists(key) OR validUntil <= :now}: of
 *       concurrent callers, in any process, exactly one wins; an expired mark is replaced. Losing is not an error.</li>
 *   <li>{@link #find} is a consistent GetItem that ignores expired marks: DynamoDB deletes expired items only
 *       eventually (typically within days; DynamoDB Local lazily), so presence alone proves nothing.</li>
 *   <li>{@link #forget} deletes the item.</li>
 * </ul>
 *
 * <p>The time is taken on the caller's thread, when the call is made, not when a worker gets to it. The SDK client
 * blocks, so every call runs on a Vert.x worker ({@link WorkerTable#blocking}, unordered: keys are independent) with
 * its own API call timeout, so that a slow DynamoDB holds a worker thread for at most that long.
 */
public final class DynamoMarks<V> implements WindowMarks<V> {
  /** Default bound of one DynamoDB call, SDK retries included. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(2);

  private final WorkerTable table;
  private final MarkLayout layout;
  private final MarkCodec<V> codec;
  private final MarkWindow window;
  private final AwsRequestOverrideConfiguration callTimeout;

  private DynamoMarks(Builder<V> b) {
    this.window = Objects.requireNonNull(b.window, "window");
    this.table = new WorkerTable(b.vertx, b.dynamo, b.tableName, window.clock());
    this.layout = b.table.layout();
    this.codec = b.table.codec();
    this.callTimeout = AwsRequestOverrideConfiguration.builder().apiCallTimeout(b.callTimeout).build();
  }

  /** Marks whose items look as {@code table} says. */
  public static <V> Builder<V> builder(MarkTable<V> table) {
    return new Builder<>(table);
  }

  /** Collects the parts; {@link #on} and {@link #window} are required. */
  public static final class Builder<V> {
    private final MarkTable<V> table;
    private Vertx vertx;
    private DynamoDbClient dynamo;
    private String tableName;
    private MarkWindow window;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;

    private Builder(MarkTable<V> table) {
      this.table = Objects.requireNonNull(table, "table");
    }

    /** The table, reached through {@code dynamo}, whose blocking calls run on {@code vertx}'s workers. */
    public Builder<V> on(Vertx vertx, DynamoDbClient dynamo, String table) {
      this.vertx = vertx;
      this.dynamo = dynamo;
      this.tableName = table;
      return this;
    }

    public Builder<V> window(MarkWindow window) {
      this.window = window;
      return this;
    }

    /** Bound of one DynamoDB call, SDK retries included; {@link #DEFAULT_CALL_TIMEOUT} unless set. */
    public Builder<V> callTimeout(Duration callTimeout) {
      this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
      return this;
    }

    public DynamoMarks<V> build() {
      return new DynamoMarks<>(this);
    }
  }

  @Override
  public Future<Boolean> markFirst(StoreKey key, V value) {
    long now = layout.now(window.clock());
    Map<String, AttributeValue> item = new HashMap<>(codec.toItem(value));
    item.putAll(layout.keyAndExpiry(key, layout.windowEnd(now, window.length())));
    // False when a valid mark exists: written earlier, or by a concurrent caller (in any process) that won.
    return table.blocking(() -> table.putIf(item, b -> b
        .conditionExpression("attribute_not_exists(#key) OR #validUntil <= :now")
        .expressionAttributeNames(Map.of("#key", layout.keyAttribute(), "#validUntil", layout.validUntilAttribute()))
        .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now))))
        .overrideConfiguration(callTimeout)));
  }

  @Override
  public Future<Optional<V>> find(StoreKey key) {
    long now = layout.now(window.clock());
    return table.blocking(() -> table.getNow(itemKey(key), b -> b.overrideConfiguration(callTimeout))
        .filter(item -> layout.validAt(item, now))
        .map(codec::fromItem));
  }

  @Override
  public Future<Void> forget(StoreKey key) {
    return table.blocking(() -> {
      table.dynamo().deleteItem(b -> b.tableName(table.name()).key(itemKey(key)).overrideConfiguration(callTimeout));
      return null;
    });
  }

  private Map<String, AttributeValue> itemKey(StoreKey key) {
    return Map.of(layout.keyAttribute(), AttributeValue.fromS(key.value()));
  }
}
