package dev.sluice.console.audit;

import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The console's audit trail on DynamoDB ({@link AuditTable}): who did what, when, to which items. Entries are only
 * ever added. Every call runs the blocking SDK on a worker and completes on the caller's context.
 */
public final class AuditLog {
  /** How far back a listing without {@code from} (and without an item or actor) looks. */
  public static final Duration DEFAULT_LOOKBACK = Duration.ofDays(90);
  /** Queries one listing may make: bounds the work of a request that matches little. */
  static final int QUERY_BUDGET = 120;
  private static final String SMALLEST_UUID = "00000000-0000-0000-0000-000000000000";

  private final WorkerTable table;

  public AuditLog(Vertx vertx, DynamoDbClient dynamo, String table, Clock clock) {
    this.table = new WorkerTable(vertx, dynamo, table, clock);
  }

  /** Appends an entry, stamped now with a new id. */
  public Future<AuditRecord> record(String actor, String action, List<String> itemIds, String detail,
      Optional<String> before, Optional<String> after, Optional<String> position) {
    AuditRecord entry = new AuditRecord(UUID.randomUUID().toString(), table.clock().instant(), actor, action, itemIds,
        detail, before, after, position);
    return table.blocking(() -> {
      table.dynamo().putItem(b -> b.tableName(table.name()).item(toAttributes(entry)));
      return entry;
    });
  }

  /** Entries matching the query, newest first, after the cursor. */
  public Future<AuditPage> find(AuditQuery query, Optional<AuditCursor> cursor, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
    return table.blocking(() -> {
      Instant now = table.clock().instant();
      boolean indexed = query.itemId().isPresent() || query.actor().isPresent();
      long lo = query.from().map(Instant::toEpochMilli)
          .orElse(indexed ? 0L : now.minus(DEFAULT_LOOKBACK).toEpochMilli());
      long hi = query.to().map(t -> t.toEpochMilli() - 1).orElse(indexed ? 9_999_999_999_999L : now.toEpochMilli());
      String loKey = pad(lo) + "#" + SMALLEST_UUID;
      String hiKey = pad(hi) + "#~";
      if (cursor.isPresent() && cursor.get().sortKey().compareTo(hiKey) < 0) {
        hiKey = cursor.get().sortKey();
      }
      if (hi < lo || hiKey.compareTo(loKey) < 0) {
        return new AuditPage(List.of(), Optional.empty());
      }
      List<AuditRecord> out = new ArrayList<>();
      Budget budget = new Budget();
      Optional<String> stoppedAt;
      if (indexed) {
        boolean byItem = query.itemId().isPresent();
        stoppedAt = readPartition(byItem ? AuditTable.BY_ITEM_INDEX : AuditTable.BY_ACTOR_INDEX,
            byItem ? AuditTable.ITEM_ID : AuditTable.ACTOR, byItem ? query.itemId().get() : query.actor().get(),
            query, loKey, hiKey, cursor, limit + 1, out, budget);
      } else {
        stoppedAt = Optional.empty();
        LocalDate first = LocalDate.ofInstant(Instant.ofEpochMilli(Long.parseLong(hiKey.substring(0, 13))),
            ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(Instant.ofEpochMilli(lo), ZoneOffset.UTC);
        for (LocalDate day = first; !day.isBefore(last) && out.size() <= limit; day = day.minusDays(1)) {
          if (budget.spent()) {
            // Nothing older than this day has been read: continue from its start.
            stoppedAt = Optional.of(pad(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli())
                + "#" + SMALLEST_UUID);
            break;
          }
          stoppedAt = readPartition(null, AuditTable.DAY, day.toString(), query, loKey, hiKey, cursor, limit + 1,
              out, budget);
          if (stoppedAt.isPresent()) {
            break;
          }
        }
      }
      if (out.size() > limit) {
        List<AuditRecord> page = out.subList(0, limit);
        return new AuditPage(page, Optional.of(new AuditCursor(sortKey(page.get(limit - 1)))));
      }
      return new AuditPage(out, stoppedAt.map(AuditCursor::new));
    });
  }

  private static final class Budget {
    private int queries;

    boolean spent() {
      return queries >= QUERY_BUDGET;
    }

    void spend() {
      queries++;
    }
  }

  /**
   * Reads one partition newest first into {@code out} until it holds {@code want} entries or the partition ends.
   * Returns the sort key to continue before when it stopped at the query budget with entries left unread.
   */
  private Optional<String> readPartition(String index, String hashName, String hashValue, AuditQuery query,
      String loKey, String hiKey, Optional<AuditCursor> cursor, int want, List<AuditRecord> out, Budget budget) {
    Map<String, String> names = new HashMap<>(Map.of("#h", hashName, "#sk", AuditTable.SORT_KEY));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":h", AttributeValue.fromS(hashValue),
        ":lo", AttributeValue.fromS(loKey), ":hi", AttributeValue.fromS(hiKey)));
    List<String> filters = new ArrayList<>();
    query.action().ifPresent(a -> {
      names.put("#action", "action");
      values.put(":action", AttributeValue.fromS(a));
      filters.add("#action = :action");
    });
    if (query.actor().isPresent() && !AuditTable.ACTOR.equals(hashName)) {
      names.put("#actor", AuditTable.ACTOR);
      values.put(":actor", AttributeValue.fromS(query.actor().get()));
      filters.add("#actor = :actor");
    }
    if (query.itemId().isPresent() && !AuditTable.ITEM_ID.equals(hashName)) {
      names.put("#itemIds", "itemIds");
      values.put(":item", AttributeValue.fromS(query.itemId().get()));
      filters.add("contains(#itemIds, :item)");
    }
    Map<String, AttributeValue> startKey = null;
    do {
      if (startKey != null && budget.spent()) {
        return Optional.of(startKey.get(AuditTable.SORT_KEY).s());
      }
      budget.spend();
      QueryRequest.Builder req = QueryRequest.builder()
          .tableName(table.name())
          .keyConditionExpression("#h = :h AND #sk BETWEEN :lo AND :hi")
          .expressionAttributeNames(names)
          .expressionAttributeValues(values)
          .scanIndexForward(false)
          .limit(Math.max(25, want - out.size()));
      if (index != null) {
        req.indexName(index);
      }
      if (!filters.isEmpty()) {
        req.filterExpression(String.join(" AND ", filters));
      }
      if (startKey != null) {
        req.exclusiveStartKey(startKey);
      }
      QueryResponse resp = table.dynamo().query(req.build());
      for (Map<String, AttributeValue> item : resp.items()) {
        AuditRecord entry = fromAttributes(item);
        // BETWEEN includes the cursor's own entry: it was on the previous page.
        if (cursor.isPresent() && sortKey(entry).equals(cursor.get().sortKey())) {
          continue;
        }
        out.add(entry);
        if (out.size() >= want) {
          return Optional.empty();
        }
      }
      startKey = resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty() ? resp.lastEvaluatedKey() : null;
    } while (startKey != null);
    return Optional.empty();
  }

  static String pad(long millis) {
    return String.format("%013d", millis);
  }

  static String sortKey(AuditRecord r) {
    return pad(r.at().toEpochMilli()) + "#" + r.id();
  }

  static Map<String, AttributeValue> toAttributes(AuditRecord r) {
    Map<String, AttributeValue> m = new HashMap<>();
    m.put(AuditTable.DAY, AttributeValue.fromS(LocalDate.ofInstant(r.at(), ZoneOffset.UTC).toString()));
    m.put(AuditTable.SORT_KEY, AttributeValue.fromS(sortKey(r)));
    m.put("id", AttributeValue.fromS(r.id()));
    m.put("at", AttributeValue.fromN(Long.toString(r.at().toEpochMilli())));
    m.put(AuditTable.ACTOR, AttributeValue.fromS(r.actor()));
    m.put("action", AttributeValue.fromS(r.action()));
    m.put("detail", AttributeValue.fromS(r.detail()));
    if (!r.itemIds().isEmpty()) {
      // A string set (never empty in DynamoDB): "contains" finds an item among a multi-item entry's ids.
      m.put("itemIds", AttributeValue.fromSs(r.itemIds()));
    }
    if (r.itemIds().size() == 1) {
      m.put(AuditTable.ITEM_ID, AttributeValue.fromS(r.itemIds().get(0)));
    }
    r.before().ifPresent(v -> m.put("before", AttributeValue.fromS(v)));
    r.after().ifPresent(v -> m.put("after", AttributeValue.fromS(v)));
    r.position().ifPresent(v -> m.put("position", AttributeValue.fromS(v)));
    return m;
  }

  static AuditRecord fromAttributes(Map<String, AttributeValue> m) {
    List<String> itemIds = m.containsKey("itemIds") ? m.get("itemIds").ss().stream().sorted().toList() : List.of();
    return new AuditRecord(m.get("id").s(), Instant.ofEpochMilli(Long.parseLong(m.get("at").n())),
        m.get(AuditTable.ACTOR).s(), m.get("action").s(), itemIds, m.containsKey("detail") ? m.get("detail").s() : "",
        Optional.ofNullable(m.get("before")).map(AttributeValue::s),
        Optional.ofNullable(m.get("after")).map(AttributeValue::s),
        Optional.ofNullable(m.get("position")).map(AttributeValue::s));
  }
}
