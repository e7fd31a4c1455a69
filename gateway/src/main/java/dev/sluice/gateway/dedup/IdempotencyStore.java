package dev.sluice.gateway.dedup;

import dev.sluice.gateway.kafka.Appended;
import dev.sluice.storekit.marks.DynamoMarks;
import dev.sluice.storekit.marks.InProcessMarks;
import dev.sluice.storekit.marks.MarkWindow;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Remembers where accepted events were appended, by their CloudEvents ({@code source}, {@code id}), for a window.
 *
 * <p>Two kinds, chosen by deployment:
 * <ul>
 *   <li>{@link #inProcess} (default): a bounded LRU map in the gateway's heap. Free and sub-microsecond, but each
 *       replica has its own: a retry that lands on another replica is appended again, and a restart forgets
 *       everything. Entries are evicted early when more than {@code maxEntries} events arrive within the window, so the
 *       guarantee holds for at most {@code maxEntries} recent events (about 200 bytes each).</li>
 *   <li>{@link #inDynamo}: a DynamoDB table shared by every replica, with a conditional put and a TTL attribute.
 *       Survives restarts and covers several replicas, with no memory bound in the gateway; costs one consistent read
 *       before and one write after every append (a few milliseconds of latency each, and DynamoDB request charges per
 *       event).</li>
 * </ul>
 * In both, the first remembered result for a key stands until it expires; a later {@link #remember} for the same key
 * changes nothing.
 */
public interface IdempotencyStore {
  /** Where the event ({@code source}, {@code id}) was appended, if it was within the window. */
  Future<Optional<Appended>> find(String source, String id);

  /** Records where the event was appended; keeps an earlier unexpired record instead, if there is one. */
  Future<Void> remember(String source, String id, Appended appended);

  /** At most {@code maxEntries} events in this process's heap, each remembered for {@code window}. */
  static IdempotencyStore inProcess(int maxEntries, Duration window, Clock clock) {
    return new MarkedIdempotencyStore(new InProcessMarks<>(maxEntries, MarkWindow.of(window, clock)));
  }

  /**
   * Every replica's events in {@code table} (made beforehand with {@link #ensureDynamoTable}), each remembered for
   * {@code window}. Its SDK calls run on {@code vertx}'s workers, each bounded by
   * {@link DynamoMarks#DEFAULT_CALL_TIMEOUT}.
   */
  static IdempotencyStore inDynamo(Vertx vertx, DynamoDbClient dynamo, String table, Duration window, Clock clock) {
    return new MarkedIdempotencyStore(DynamoMarks.builder(MarkedIdempotencyStore.LAYOUT, AppendedCodec.INSTANCE)
        .on(vertx, dynamo, table).window(MarkWindow.of(window, clock)).build());
  }

  /**
   * Creates the table of {@link #inDynamo} if it does not exist (hash key {@code pk}, on-demand billing), waits until
   * it exists, and turns on TTL on {@code expiresAt} if it is not on yet. Idempotent, also when several processes
   * race. Blocking: call it from a worker or at start-up, never on an event loop.
   */
  static void ensureDynamoTable(DynamoDbClient dynamo, String table) {
    MarkedIdempotencyStore.LAYOUT.table().ensure(dynamo, table);
  }
}
