package dev.sluice.storekit.marks;

import io.vertx.core.Vertx;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What a module's marks look like in DynamoDB: the item's {@link MarkLayout} and the value's {@link MarkCodec}. One
 * constant per kind of mark; with it, a table is made ({@link #ensure}) and used ({@link #inDynamo}) the same way.
 */
public record MarkTable<V>(MarkLayout layout, MarkCodec<V> codec) {
  public MarkTable {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(codec, "codec");
  }

  public static <V> MarkTable<V> of(MarkLayout layout, MarkCodec<V> codec) {
    return new MarkTable<>(layout, codec);
  }

  /**
   * Creates the table if it does not exist (hash key {@link MarkLayout#keyAttribute}, on-demand billing), waits until
   * it exists, and turns TTL on {@link MarkLayout#ttlAttribute} on if it is not on yet. Idempotent, also when several
   * processes race. Blocking: call it from a worker or at start-up, never on an event loop.
   *
   * @return true if this call created the table
   */
  public boolean ensure(DynamoDbClient dynamo, String table) {
    return layout.table().ensure(dynamo, table);
  }

  /**
   * The marks in {@code table}, each valid for {@code window}; SDK calls run on {@code vertx}'s workers, each bounded
   * by {@link DynamoMarks#DEFAULT_CALL_TIMEOUT} (use {@link DynamoMarks#builder} for another bound).
   */
  public DynamoMarks<V> inDynamo(Vertx vertx, DynamoDbClient dynamo, String table, MarkWindow window) {
    return DynamoMarks.builder(this).on(vertx, dynamo, table).window(window).build();
  }
}
