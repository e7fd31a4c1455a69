package dev.sluice.quarantine.store;

import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ATTEMPTS;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.GROUP;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ID;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.OPEN_LANE;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.QUARANTINED_AT;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.STATUS;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.STREAM;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.s;

import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The quarantine store on DynamoDB: reading items (by id, by status, by partition lane) and the two sides that write
 * them, each a class of its own: {@link #consumer()}, the writes of the consumers that divert events and settle them,
 * and {@link #operator()}, what operators do to items. Every state change is a conditional write: creating an item
 * only if its id is new, and every status transition only from the status it expects. Two operators, or an operator
 * and a consumer, can never both win the same transition. Finding items by filter is the find package's
 * {@code QuarantineSearch}, on the same {@link #table()}.
 *
 * <p>The SDK client blocks, so each call runs on a Vert.x worker thread ({@link WorkerTable#blocking}) and comes back
 * as a Future on the caller's context.
 */
public final class QuarantineStore {
  /** How many index pages a filtered list may read before it returns what it has: bounds the work per request. */
  private static final int MAX_PAGES_PER_STATUS = 20;

  private final WorkerTable table;
  private final ConsumerWrites consumer;
  private final OperatorActions operator;

  public QuarantineStore(Vertx vertx, DynamoDbClient dynamo, String table, Clock clock) {
    this.table = new WorkerTable(vertx, dynamo, table, clock);
    this.consumer = new ConsumerWrites(this.table);
    this.operator = new OperatorActions(this.table);
  }

  /** The table, client, Vert.x and clock this store works on. */
  public WorkerTable table() {
    return table;
  }

  /** New items and the settlement of open ones, as consumers (and the gateway's reject capture) write them. */
  public ConsumerWrites consumer() {
    return consumer;
  }

  /** Discards and redrives, as operators ask for them. */
  public OperatorActions operator() {
    return operator;
  }

  /**
   * The open items of one group's partition, in offset order, from the sparse open-lane index. The index is
   * eventually consistent: an item written a moment ago may be missing, and one settled a moment ago may still show.
   * Callers confirm with {@link #states} before they act on an absence.
   */
  public Future<List<OpenItem>> openItems(String group, String topic, int partition) {
    return table.blocking(() -> {
      List<OpenItem> out = new ArrayList<>();
      Map<String, AttributeValue> startKey = null;
      do {
        QueryRequest.Builder req = QueryRequest.builder()
            .tableName(table.name())
            .indexName(QuarantineTable.BY_LANE_INDEX)
            .keyConditionExpression("#lane = :lane")
            .expressionAttributeNames(Map.of("#lane", OPEN_LANE))
            .expressionAttributeValues(Map.of(":lane", s(QuarantineItem.laneOf(group, topic, partition))))
            .scanIndexForward(true);
        if (startKey != null) {
          req.exclusiveStartKey(startKey);
        }
        QueryResponse resp = table.dynamo().query(req.build());
        resp.items().forEach(i -> out.add(DynamoQuarantineCodec.openItem(i)));
        startKey = resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty() ? resp.lastEvaluatedKey() : null;
      } while (startKey != null);
      return out;
    });
  }

  /** The current state of items by id, read strongly consistent in batches of 100; unknown ids are left out. */
  public Future<Map<String, OpenItem>> states(Collection<String> ids) {
    return table.blocking(() -> {
      Map<String, OpenItem> out = new LinkedHashMap<>();
      BatchReads.read(table, ids, "#id, #status, #key, #offset, #at, #attempts",
              Map.of("#id", ID, "#status", STATUS, "#key", DynamoQuarantineCodec.KEY,
                  "#offset", DynamoQuarantineCodec.OFFSET, "#at", QUARANTINED_AT, "#attempts", ATTEMPTS))
          .forEach(i -> out.put(i.get(ID).s(), DynamoQuarantineCodec.openItem(i)));
      return out;
    });
  }

  /** What became of redriven items, counted once per redrive, on the same table and client. */
  public RedriveOutcomes outcomes() {
    return new RedriveOutcomes(table);
  }

  /** Succeeds when the table answers: the readiness probe of everything that needs the store. */
  public Future<Void> ping() {
    return table.blocking(() -> {
      table.dynamo().describeTable(b -> b.tableName(table.name()));
      return null;
    });
  }

  public Future<Optional<QuarantineItem>> get(String id) {
    return table.blocking(() -> StoredItems.getNow(table, id));
  }

  /** Newest first. Reads the status index, one status at a time when none is given, and merges. */
  public Future<List<QuarantineItem>> list(QuarantineQuery query) {
    return table.blocking(() -> {
      List<QuarantineStatus> statuses = query.status().map(List::of).orElse(Arrays.asList(QuarantineStatus.values()));
      List<QuarantineItem> all = new ArrayList<>();
      for (QuarantineStatus status : statuses) {
        all.addAll(queryStatus(status, query));
      }
      all.sort(Comparator.comparing(QuarantineItem::quarantinedAt).reversed().thenComparing(QuarantineItem::id));
      return all.size() > query.limit() ? List.copyOf(all.subList(0, query.limit())) : all;
    });
  }

  private List<QuarantineItem> queryStatus(QuarantineStatus status, QuarantineQuery query) {
    Map<String, String> names = new HashMap<>(Map.of("#status", STATUS));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", s(status.name())));
    List<String> filters = new ArrayList<>();
    query.stream().ifPresent(v -> {
      names.put("#stream", STREAM);
      values.put(":stream", s(v));
      filters.add("#stream = :stream");
    });
    query.group().ifPresent(v -> {
      names.put("#group", GROUP);
      values.put(":group", s(v));
      filters.add("#group = :group");
    });
    List<QuarantineItem> out = new ArrayList<>();
    Map<String, AttributeValue> startKey = null;
    for (int page = 0; page < MAX_PAGES_PER_STATUS && out.size() < query.limit(); page++) {
      QueryRequest.Builder req = QueryRequest.builder()
          .tableName(table.name())
          .indexName(QuarantineTable.BY_STATUS_INDEX)
          .keyConditionExpression("#status = :status")
          .expressionAttributeNames(names)
          .expressionAttributeValues(values)
          .scanIndexForward(false)
          .limit(query.limit());
      if (!filters.isEmpty()) {
        req.filterExpression(String.join(" AND ", filters));
      }
      if (startKey != null) {
        req.exclusiveStartKey(startKey);
      }
      QueryResponse resp = table.dynamo().query(req.build());
      resp.items().forEach(i -> out.add(DynamoQuarantineCodec.fromAttributes(i)));
      if (!resp.hasLastEvaluatedKey() || resp.lastEvaluatedKey().isEmpty()) {
        break;
      }
      startKey = resp.lastEvaluatedKey();
    }
    return out;
  }
}
