package dev.sluice.quarantine.find;

import static dev.sluice.quarantine.store.DynamoQuarantineCodec.n;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.s;

import dev.sluice.quarantine.store.DynamoQuarantineCodec;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.QuarantineTable;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Finds quarantine items by {@link ItemFilter} with index Queries, never a table Scan. Which index answers depends on
 * the filter ({@link #plan}):
 *
 * <ul>
 *   <li>{@code status} given: {@code by-status} (hash {@code status}, range {@code quarantinedAt}); one Query;
 *   <li>else {@code group} given: {@code by-group} (hash {@code consumerGroup}, range {@code quarantinedAt});
 *   <li>else {@code stream} given: {@code by-stream} (hash {@code stream}, range {@code quarantinedAt});
 *   <li>else: {@code by-status}, one Query per status (six), merged newest first.
 * </ul>
 *
 * <p>{@code from}/{@code to} (and the cursor) are part of the key condition on {@code quarantinedAt}, so a time range
 * reads only that range. The other fields ({@code stream, group, type, reason, key} when not the hash key) are a
 * FilterExpression: DynamoDB still reads the index entries of the key range, but returns only matches. Free text
 * ({@code q}) and {@code fingerprint} cannot be expressed in DynamoDB (the payload is binary; the fingerprint is
 * computed), so they are checked here on the returned items.
 *
 * <p>Every request reads a bounded number of index pages per hash key; a page can therefore end early (fewer items
 * than asked, with a cursor), and counts and groups say when they stopped at the budget. The SDK blocks, so every
 * call runs on a Vert.x worker.
 */
public final class QuarantineSearch {
  /** Index pages one find may read per hash key (each up to 1 MB, DynamoDB's page cap). */
  static final int FIND_PAGE_BUDGET = 20;
  /** Index pages a count may read per hash key. */
  static final int COUNT_PAGE_BUDGET = 25;
  /** Items a fingerprint grouping examines at most. */
  static final int GROUP_ITEM_BUDGET = 50_000;

  private final WorkerTable table;
  private final SearchableText searchable;

  /** A search of the items of {@code table}, e.g. {@code new QuarantineSearch(store.table())}. */
  public QuarantineSearch(WorkerTable table) {
    this(table, SearchableText.ALL);
  }

  private QuarantineSearch(WorkerTable table, SearchableText searchable) {
    this.table = Objects.requireNonNull(table, "table");
    this.searchable = Objects.requireNonNull(searchable, "searchable");
  }

  /**
   * The same search with free text matched only in {@code text} (what the asker may see of each item). It runs on
   * the same worker threads as the reads, so {@code text} must be thread-safe.
   */
  public QuarantineSearch matchingTextIn(SearchableText text) {
    return new QuarantineSearch(table, text);
  }

  /** Which index answers a filter, for which hash key values, and which filter fields become a FilterExpression. */
  record Plan(String index, String hashAttribute, List<String> hashValues, List<String> filteredFields) {}

  static Plan plan(ItemFilter f) {
    if (f.status().isPresent()) {
      return new Plan(QuarantineTable.BY_STATUS_INDEX, DynamoQuarantineCodec.STATUS,
          List.of(f.status().get().name()), present(f, "stream", "group", "type", "reason", "key"));
    }
    if (f.group().isPresent()) {
      return new Plan(QuarantineTable.BY_GROUP_INDEX, DynamoQuarantineCodec.GROUP, List.of(f.group().get()),
          present(f, "stream", "type", "reason", "key"));
    }
    if (f.stream().isPresent()) {
      return new Plan(QuarantineTable.BY_STREAM_INDEX, DynamoQuarantineCodec.STREAM, List.of(f.stream().get()),
          present(f, "type", "reason", "key"));
    }
    return new Plan(QuarantineTable.BY_STATUS_INDEX, DynamoQuarantineCodec.STATUS,
        Arrays.stream(QuarantineStatus.values()).map(Enum::name).toList(), present(f, "type", "reason", "key"));
  }

  private static List<String> present(ItemFilter f, String... fields) {
    List<String> out = new ArrayList<>();
    for (String field : fields) {
      if (value(f, field).isPresent()) {
        out.add(field);
      }
    }
    return out;
  }

  private static Optional<String> value(ItemFilter f, String field) {
    return switch (field) {
      case "stream" -> f.stream();
      case "group" -> f.group();
      case "type" -> f.type();
      case "reason" -> f.reason().map(Enum::name);
      case "key" -> f.key();
      default -> throw new IllegalArgumentException(field);
    };
  }

  private static String attribute(String field) {
    return switch (field) {
      case "stream" -> DynamoQuarantineCodec.STREAM;
      case "group" -> DynamoQuarantineCodec.GROUP;
      case "type" -> DynamoQuarantineCodec.EVENT_TYPE;
      case "reason" -> DynamoQuarantineCodec.REASON;
      case "key" -> DynamoQuarantineCodec.KEY;
      default -> throw new IllegalArgumentException(field);
    };
  }

  /** The inclusive millisecond range a filter (and cursor) allows; empty when it allows nothing. */
  static Optional<long[]> range(ItemFilter f, Optional<FindCursor> cursor) {
    long lo = f.from().map(Instant::toEpochMilli).orElse(0L);
    long hi = f.to().map(t -> t.toEpochMilli() - 1).orElse(Long.MAX_VALUE);
    if (cursor.isPresent()) {
      hi = Math.min(hi, cursor.get().quarantinedAtMillis());
    }
    return hi < lo ? Optional.empty() : Optional.of(new long[] {lo, hi});
  }

  /**
   * One page of matches, newest first (ties by id, descending), continuing after {@code cursor}.
   *
   * <p>Each hash key is read until it has {@code limit} matches, runs out, or spends its page budget. A hash key that
   * stopped early has only been read down to some time; the page holds only items newer than the newest such stop,
   * so that merging several hash keys never skips an item, and the cursor continues from there.
   */
  public Future<ItemPage> find(ItemFilter filter, Optional<FindCursor> cursor, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
    return table.blocking(() -> {
      Optional<long[]> range = range(filter, cursor);
      if (range.isEmpty()) {
        return new ItemPage(List.of(), Optional.empty());
      }
      long lo = range.get()[0];
      long hi = range.get()[1];
      Plan plan = plan(filter);
      List<QuarantineItem> found = new ArrayList<>();
      long floor = Long.MIN_VALUE;
      Predicate<QuarantineItem> wanted = item -> cursor
          .map(c -> c.admits(item.quarantinedAt().toEpochMilli(), item.id())).orElse(true)
          && filter.matches(item, searchable);
      for (String hashValue : plan.hashValues()) {
        floor = Math.max(floor, readForFind(plan, hashValue, filter, lo, hi, wanted, limit, found));
      }
      long safeFloor = floor;
      List<QuarantineItem> eligible = new ArrayList<>(found.stream()
          .filter(i -> i.quarantinedAt().toEpochMilli() >= safeFloor).toList());
      eligible.sort(Comparator.comparing(QuarantineItem::quarantinedAt).thenComparing(QuarantineItem::id).reversed());
      if (eligible.size() > limit) {
        QuarantineItem last = eligible.get(limit - 1);
        return new ItemPage(eligible.subList(0, limit),
            Optional.of(new FindCursor(last.quarantinedAt().toEpochMilli(), last.id())));
      }
      boolean more = floor != Long.MIN_VALUE && floor > lo;
      return new ItemPage(eligible, more ? Optional.of(FindCursor.before(floor)) : Optional.empty());
    });
  }

  /**
   * Reads one hash key for {@link #find}, adding matches to {@code out}. Returns the lowest time down to which every
   * item of this hash key has been read ({@code Long.MIN_VALUE} when it ran out).
   */
  private long readForFind(Plan plan, String hashValue, ItemFilter filter, long lo, long hi,
      Predicate<QuarantineItem> wanted, int limit, List<QuarantineItem> out) {
    Map<String, AttributeValue> startKey = null;
    int matched = 0;
    long newest = Long.MIN_VALUE;
    long lastEvaluated = Long.MIN_VALUE;
    for (int page = 0; page < FIND_PAGE_BUDGET; page++) {
      QueryRequest.Builder req = request(plan, hashValue, filter, lo, hi).limit(Math.max(100, limit));
      if (startKey != null) {
        req.exclusiveStartKey(startKey);
      }
      QueryResponse resp = table.dynamo().query(req.build());
      for (Map<String, AttributeValue> attrs : resp.items()) {
        QuarantineItem item = DynamoQuarantineCodec.fromAttributes(attrs);
        newest = Math.max(newest, item.quarantinedAt().toEpochMilli());
        if (wanted.test(item)) {
          out.add(item);
          matched++;
        }
      }
      if (!resp.hasLastEvaluatedKey() || resp.lastEvaluatedKey().isEmpty()) {
        return Long.MIN_VALUE;
      }
      startKey = resp.lastEvaluatedKey();
      lastEvaluated = Long.parseLong(startKey.get(DynamoQuarantineCodec.QUARANTINED_AT).n());
      newest = Math.max(newest, lastEvaluated);
      // Stop once there are enough, but never inside the newest timestamp's items: the page must be able to end
      // somewhere, and an item of that timestamp left unread could fall behind the cursor.
      if (matched >= limit && lastEvaluated < newest) {
        break;
      }
    }
    // Everything newer than the last evaluated time has been read; items at that very time may be partly read. Only
    // when the whole budget went into a single millisecond (thousands of items quarantined at once) is that time
    // used as is, so that paging still moves on.
    return lastEvaluated < newest ? lastEvaluated + 1 : lastEvaluated;
  }

  /** How many items match; bounded by {@link #COUNT_PAGE_BUDGET} pages per hash key. */
  public Future<MatchCount> count(ItemFilter filter) {
    return table.blocking(() -> {
      Optional<long[]> range = range(filter, Optional.empty());
      if (range.isEmpty()) {
        return new MatchCount(0, true);
      }
      Plan plan = plan(filter);
      long matched = 0;
      boolean exact = true;
      for (String hashValue : plan.hashValues()) {
        Map<String, AttributeValue> startKey = null;
        int page = 0;
        do {
          if (page++ == COUNT_PAGE_BUDGET) {
            exact = false;
            break;
          }
          QueryRequest.Builder req = request(plan, hashValue, filter, range.get()[0], range.get()[1]);
          if (!filter.needsItemCheck()) {
            // DynamoDB counts after its filter and returns no items: only the count travels.
            req.select(Select.COUNT);
          }
          if (startKey != null) {
            req.exclusiveStartKey(startKey);
          }
          QueryResponse resp = table.dynamo().query(req.build());
          if (filter.needsItemCheck()) {
            matched += resp.items().stream().map(DynamoQuarantineCodec::fromAttributes)
                .filter(item -> filter.matches(item, searchable)).count();
          } else {
            matched += resp.count();
          }
          startKey = resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty() ? resp.lastEvaluatedKey() : null;
        } while (startKey != null);
      }
      return new MatchCount(matched, exact);
    });
  }

  /**
   * The matching items grouped by failure fingerprint, largest group first; examines at most
   * {@link #GROUP_ITEM_BUDGET}.
   */
  public Future<Groups> groups(ItemFilter filter) {
    return table.blocking(() -> {
      Map<String, Acc> byId = new LinkedHashMap<>();
      Visit visit = visit(filter, item -> {
        Fingerprint fp = Fingerprint.of(item);
        byId.computeIfAbsent(fp.id(), k -> new Acc(fp)).add(item);
      });
      List<FingerprintGroup> groups = byId.values().stream().map(Acc::group)
          .sorted(Comparator.comparingLong(FingerprintGroup::count).reversed()
              .thenComparing(FingerprintGroup::lastSeen, Comparator.reverseOrder()))
          .toList();
      return new Groups(groups, visit.examined(), visit.complete());
    });
  }

  /**
   * How many matching items were quarantined in each {@code bucket} from {@code from} on, per reason: the console's
   * chart. The filter's time range bounds the read; examines at most {@link #GROUP_ITEM_BUDGET} items.
   */
  public Future<Timeline> timeline(ItemFilter filter, Instant from, Duration bucket, int buckets) {
    if (bucket.isNegative() || bucket.isZero() || buckets < 1) {
      return Future.failedFuture(new IllegalArgumentException("bucket and buckets must be positive"));
    }
    return table.blocking(() -> {
      long start = from.toEpochMilli();
      long width = bucket.toMillis();
      Map<String, long[]> byReason = new java.util.TreeMap<>();
      Visit visit = visit(filter, item -> {
        long at = item.quarantinedAt().toEpochMilli();
        int i = (int) Math.floorDiv(at - start, width);
        if (i >= 0 && i < buckets) {
          byReason.computeIfAbsent(item.reason().name(), r -> new long[buckets])[i]++;
        }
      });
      List<Instant> starts = new ArrayList<>();
      for (int i = 0; i < buckets; i++) {
        starts.add(Instant.ofEpochMilli(start + i * width));
      }
      return new Timeline(starts, bucket, byReason, visit.examined(), visit.complete());
    });
  }

  /** Counts per reason in consecutive buckets ({@code counts.get(reason)[i]} for the bucket at {@code starts[i]}). */
  public record Timeline(List<Instant> starts, Duration bucket, Map<String, long[]> counts, long examined,
      boolean complete) {}

  private record Visit(long examined, boolean complete) {}

  /**
   * Hands every item matching the filter to {@code each}, reading the index the filter's plan names (never a scan),
   * at most {@link #GROUP_ITEM_BUDGET} items; blocking.
   */
  private Visit visit(ItemFilter filter, java.util.function.Consumer<QuarantineItem> each) {
    Optional<long[]> range = range(filter, Optional.empty());
    if (range.isEmpty()) {
      return new Visit(0, true);
    }
    Plan plan = plan(filter);
    long examined = 0;
    for (String hashValue : plan.hashValues()) {
      Map<String, AttributeValue> startKey = null;
      do {
        QueryRequest.Builder req = request(plan, hashValue, filter, range.get()[0], range.get()[1]);
        if (filter.text().isEmpty()) {
          // Summaries need no payload unless free text is searched: leave the largest attributes out.
          Map<String, String> names = new HashMap<>(req.build().expressionAttributeNames());
          List<String> projected = new ArrayList<>();
          for (String a : List.of(DynamoQuarantineCodec.ID, DynamoQuarantineCodec.STATUS,
              DynamoQuarantineCodec.STREAM, DynamoQuarantineCodec.GROUP, DynamoQuarantineCodec.TOPIC,
              DynamoQuarantineCodec.PARTITION, DynamoQuarantineCodec.OFFSET, DynamoQuarantineCodec.KEY,
              DynamoQuarantineCodec.EVENT_TYPE, DynamoQuarantineCodec.REASON, DynamoQuarantineCodec.ERROR_CLASS,
              DynamoQuarantineCodec.VIOLATIONS, DynamoQuarantineCodec.ATTEMPTS,
              DynamoQuarantineCodec.QUARANTINED_AT, DynamoQuarantineCodec.UPDATED_AT)) {
            names.put("#p_" + a, a);
            projected.add("#p_" + a);
          }
          req.projectionExpression(String.join(", ", projected)).expressionAttributeNames(names);
        }
        if (startKey != null) {
          req.exclusiveStartKey(startKey);
        }
        QueryResponse resp = table.dynamo().query(req.build());
        for (Map<String, AttributeValue> attrs : resp.items()) {
          QuarantineItem item = DynamoQuarantineCodec.fromAttributes(attrs);
          examined++;
          if (filter.matches(item, searchable)) {
            each.accept(item);
          }
        }
        startKey = resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty() ? resp.lastEvaluatedKey() : null;
        if (startKey != null && examined >= GROUP_ITEM_BUDGET) {
          return new Visit(examined, false);
        }
      } while (startKey != null);
    }
    return new Visit(examined, true);
  }

  private static final class Acc {
    private final Fingerprint fingerprint;
    private long count;
    private Instant first;
    private Instant last;
    private String sample;

    Acc(Fingerprint fingerprint) {
      this.fingerprint = fingerprint;
    }

    void add(QuarantineItem item) {
      count++;
      Instant at = item.quarantinedAt();
      if (first == null || at.isBefore(first)) {
        first = at;
      }
      if (last == null || at.isAfter(last)) {
        // The newest item is the sample: the one most likely still open.
        last = at;
        sample = item.id();
      }
    }

    FingerprintGroup group() {
      return new FingerprintGroup(fingerprint, count, first, last, sample);
    }
  }

  private QueryRequest.Builder request(Plan plan, String hashValue, ItemFilter filter, long lo, long hi) {
    Map<String, String> names = new HashMap<>(Map.of("#h", plan.hashAttribute(), "#at",
        DynamoQuarantineCodec.QUARANTINED_AT));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":h", s(hashValue), ":lo", n(lo), ":hi", n(hi)));
    List<String> conditions = new ArrayList<>();
    for (String field : plan.filteredFields()) {
      names.put("#f_" + field, attribute(field));
      values.put(":f_" + field, s(value(filter, field).orElseThrow()));
      conditions.add("#f_" + field + " = :f_" + field);
    }
    QueryRequest.Builder req = QueryRequest.builder()
        .tableName(table.name())
        .indexName(plan.index())
        .keyConditionExpression("#h = :h AND #at BETWEEN :lo AND :hi")
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .scanIndexForward(false);
    if (!conditions.isEmpty()) {
      req.filterExpression(String.join(" AND ", conditions));
    }
    return req;
  }
}
