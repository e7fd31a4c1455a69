package dev.sluice.quarantine.store;

import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ATTEMPTS;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ATTEMPT_LOG;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.GENERATION;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.NEXT_ATTEMPT_AT;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.OPEN_LANE;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.EDITED_DATA;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ERROR_CLASS;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ERROR_MESSAGE;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.GROUP;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.HISTORY;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ID;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.QUARANTINED_AT;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.REASON;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.REDRIVE_COUNT;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.STATUS;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.STREAM;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.UPDATED_AT;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.VIOLATIONS;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.n;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.s;

import dev.sluice.schemas.Violation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The quarantine store on DynamoDB. Every state change is a conditional write: creating an item only if its id is new,
 * and every status transition only from the status it expects. Two operators, or an operator and a consumer, can
 * never both win the same transition.
 *
 * <p>The SDK client blocks, so each call runs on a Vert.x worker thread (unordered, so calls may run in parallel) and
 * comes back as a Future on the caller's context.
 */
public final class QuarantineStore {
  /** How many index pages a filtered list may read before it returns what it has: bounds the work per request. */
  private static final int MAX_PAGES_PER_STATUS = 20;

  private final Vertx vertx;
  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public QuarantineStore(Vertx vertx, DynamoDbClient dynamo, String table, Clock clock) {
    this.vertx = vertx;
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  /** The outcome of diverting an event. */
  public enum Write {
    /** The item is new. */
    CREATED,
    /** An item for this record and group exists already (a re-delivery after a crash): nothing was written. */
    ALREADY_PRESENT
  }

  /** Writes a new item, only if no item has its id: idempotent under re-delivery. */
  public Future<Write> quarantine(QuarantineItem item) {
    return blocking(() -> {
      try {
        dynamo.putItem(b -> b.tableName(table)
            .item(DynamoQuarantineCodec.toAttributes(item))
            .conditionExpression("attribute_not_exists(#id)")
            .expressionAttributeNames(Map.of("#id", ID)));
        return Write.CREATED;
      } catch (ConditionalCheckFailedException exists) {
        return Write.ALREADY_PRESENT;
      }
    });
  }

  /**
   * Writes a new item only if no item has its id (idempotent under re-delivery). Empty when written; otherwise the
   * item already stored, read in the same conditional write, so that a replay after a crash learns where the event
   * stands (still open, or already settled) without a second read.
   */
  public Future<Optional<QuarantineItem>> createIfAbsent(QuarantineItem item) {
    return blocking(() -> createIfAbsentNow(item));
  }

  private Optional<QuarantineItem> createIfAbsentNow(QuarantineItem item) {
    try {
      dynamo.putItem(b -> b.tableName(table)
          .item(DynamoQuarantineCodec.toAttributes(item))
          .conditionExpression("attribute_not_exists(#id)")
          .expressionAttributeNames(Map.of("#id", ID))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
      return Optional.empty();
    } catch (ConditionalCheckFailedException exists) {
      return exists.hasItem() && !exists.item().isEmpty()
          ? Optional.of(DynamoQuarantineCodec.fromAttributes(exists.item()))
          : getNow(item.id());
    }
  }

  /** The most items one {@link #createAllIfAbsent} transaction takes: DynamoDB's TransactWriteItems limit. */
  public static final int MAX_BATCH_ITEMS = 100;

  /**
   * {@link #createIfAbsent} for many items at once, each written only if no item has its id: one TransactWriteItems
   * call (up to {@value #MAX_BATCH_ITEMS} items) with an {@code attribute_not_exists} condition per item, so a batch is
   * as conditional as single writes and costs one round trip. The answer is parallel to {@code items}: empty where the
   * item was written, else the item already stored.
   *
   * <p>A transaction is all or nothing: when it is cancelled because an item exists already (a replay after a crash)
   * or another writer touched one of the ids at the same moment, each item is written again on its own with
   * {@link #createIfAbsent}'s conditional put, which learns the stored item of each id that exists. Any other failure
   * (the table unreachable, throttling) fails the Future, with nothing or everything written, and the caller may
   * try the same batch again.
   */
  public Future<List<Optional<QuarantineItem>>> createAllIfAbsent(List<QuarantineItem> items) {
    if (items.size() > MAX_BATCH_ITEMS) {
      throw new IllegalArgumentException("at most " + MAX_BATCH_ITEMS + " items per batch, not " + items.size());
    }
    List<QuarantineItem> batch = List.copyOf(items);
    return blocking(() -> {
      if (batch.isEmpty()) {
        return List.<Optional<QuarantineItem>>of();
      }
      if (batch.size() == 1) {
        return List.of(createIfAbsentNow(batch.get(0)));
      }
      List<TransactWriteItem> writes = new ArrayList<>(batch.size());
      for (QuarantineItem item : batch) {
        writes.add(TransactWriteItem.builder().put(Put.builder()
                .tableName(table)
                .item(DynamoQuarantineCodec.toAttributes(item))
                .conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", ID))
                .build())
            .build());
      }
      try {
        dynamo.transactWriteItems(b -> b.transactItems(writes));
        List<Optional<QuarantineItem>> created = new ArrayList<>(batch.size());
        batch.forEach(i -> created.add(Optional.empty()));
        return created;
      } catch (TransactionCanceledException cancelled) {
        if (!cancelledByExistingOrRacingItem(cancelled)) {
          throw cancelled;
        }
        // Nothing of the batch was written: each item on its own, which tells which ids exist and what they hold.
        List<Optional<QuarantineItem>> out = new ArrayList<>(batch.size());
        for (QuarantineItem item : batch) {
          out.add(createIfAbsentNow(item));
        }
        return out;
      }
    });
  }

  /** Whether a cancelled transaction failed on an item's condition or a concurrent write, not on the engine. */
  private static boolean cancelledByExistingOrRacingItem(TransactionCanceledException e) {
    if (!e.hasCancellationReasons()) {
      return false;
    }
    for (CancellationReason r : e.cancellationReasons()) {
      String code = r.code();
      if ("ConditionalCheckFailed".equals(code) || "TransactionConflict".equals(code)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The open items of one group's partition, in offset order, from the sparse open-lane index. The index is
   * eventually consistent: an item written a moment ago may be missing, and one settled a moment ago may still show.
   * Callers confirm with {@link #states} before they act on an absence.
   */
  public Future<List<OpenItem>> openItems(String group, String topic, int partition) {
    return blocking(() -> {
      List<OpenItem> out = new ArrayList<>();
      Map<String, AttributeValue> startKey = null;
      do {
        QueryRequest.Builder req = QueryRequest.builder()
            .tableName(table)
            .indexName(QuarantineTable.BY_LANE_INDEX)
            .keyConditionExpression("#lane = :lane")
            .expressionAttributeNames(Map.of("#lane", OPEN_LANE))
            .expressionAttributeValues(Map.of(":lane", s(QuarantineItem.laneOf(group, topic, partition))))
            .scanIndexForward(true);
        if (startKey != null) {
          req.exclusiveStartKey(startKey);
        }
        QueryResponse resp = dynamo.query(req.build());
        resp.items().forEach(i -> out.add(DynamoQuarantineCodec.openItem(i)));
        startKey = resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty() ? resp.lastEvaluatedKey() : null;
      } while (startKey != null);
      return out;
    });
  }

  /** The current state of items by id, read strongly consistent in batches of 100; unknown ids are left out. */
  public Future<Map<String, OpenItem>> states(Collection<String> ids) {
    return blocking(() -> {
      Map<String, OpenItem> out = new LinkedHashMap<>();
      BatchReads.read(dynamo, table, ids, "#id, #status, #key, #offset, #at, #attempts",
              Map.of("#id", ID, "#status", STATUS, "#key", DynamoQuarantineCodec.KEY,
                  "#offset", DynamoQuarantineCodec.OFFSET, "#at", QUARANTINED_AT, "#attempts", ATTEMPTS))
          .forEach(i -> out.put(i.get(ID).s(), DynamoQuarantineCodec.openItem(i)));
      return out;
    });
  }


  /** Where an open item goes next, with the handler attempts that led there. */
  public sealed interface Settlement {
    /** Handler attempts made in this step, appended to the item's attempt log and counted in {@code attempts}. */
    List<HandlerAttempt> attempts();

    /** The delivery generation the last attempt ran at. */
    int generation();
  }

  /** The handler took the event. */
  public record Resolved(List<HandlerAttempt> attempts, int generation, String detail) implements Settlement {}

  /** Dead: no more automatic attempts. */
  public record Quarantined(
      QuarantineReason reason, String errorClass, String message, List<Violation> violations,
      List<HandlerAttempt> attempts, int generation) implements Settlement {}

  /** Another delayed attempt is scheduled. */
  public record Retrying(String errorClass, String message, Instant nextAttemptAt, List<HandlerAttempt> attempts,
      int generation) implements Settlement {}

  /**
   * Moves an open item on, as one conditional write: only from {@code from}, and, when {@code expectedAttempts} is
   * given, only if no other delivery recorded attempts in between (a duplicate retry message, or two consumers racing,
   * find a {@link StoreException.StatusConflict} instead of settling twice). A move to a final status takes the item
   * out of the open-lane index.
   */
  public Future<QuarantineItem> settle(
      String id, QuarantineStatus from, OptionalInt expectedAttempts, Settlement to, String actor) {
    Instant now = clock.instant();
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    List<String> set = new ArrayList<>();
    List<String> remove = new ArrayList<>();
    names.put("#status", STATUS);
    names.put("#updatedAt", UPDATED_AT);
    names.put("#history", HISTORY);
    names.put("#attemptLog", ATTEMPT_LOG);
    names.put("#attempts", ATTEMPTS);
    names.put("#generation", GENERATION);
    values.put(":from", s(from.name()));
    values.put(":now", n(now.toEpochMilli()));
    values.put(":empty", AttributeValue.fromL(List.of()));
    values.put(":newAttempts", DynamoQuarantineCodec.attempts(to.attempts()));
    values.put(":attemptCount", n(to.attempts().size()));
    values.put(":zero", n(0));
    values.put(":generation", n(to.generation()));
    set.add("#updatedAt = :now");
    set.add("#attemptLog = list_append(if_not_exists(#attemptLog, :empty), :newAttempts)");
    set.add("#attempts = if_not_exists(#attempts, :zero) + :attemptCount");
    set.add("#generation = :generation");
    QuarantineStatus target;
    AuditEntry audit;
    if (to instanceof Resolved r) {
      target = QuarantineStatus.RESOLVED;
      audit = new AuditEntry(now, "RESOLVED", actor, r.detail());
    } else if (to instanceof Quarantined q) {
      target = QuarantineStatus.QUARANTINED;
      names.putAll(Map.of("#reason", REASON, "#errorClass", ERROR_CLASS, "#errorMessage", ERROR_MESSAGE,
          "#violations", VIOLATIONS));
      values.putAll(Map.of(":reason", s(q.reason().name()), ":errorClass", s(q.errorClass()),
          ":errorMessage", s(q.message()),
          ":violations", AttributeValue.fromL(q.violations().stream().map(DynamoQuarantineCodec::violation).toList())));
      set.add("#reason = :reason");
      set.add("#errorClass = :errorClass");
      set.add("#errorMessage = :errorMessage");
      set.add("#violations = :violations");
      audit = new AuditEntry(now, from == QuarantineStatus.REDRIVEN ? "REDRIVE_FAILED" : "QUARANTINED", actor,
          q.reason() + ": " + q.message());
    } else {
      Retrying r = (Retrying) to;
      target = QuarantineStatus.RETRYING;
      names.putAll(Map.of("#reason", REASON, "#errorClass", ERROR_CLASS, "#errorMessage", ERROR_MESSAGE,
          "#nextAttemptAt", NEXT_ATTEMPT_AT));
      values.putAll(Map.of(":reason", s(QuarantineReason.HANDLER_FAILED.name()), ":errorClass", s(r.errorClass()),
          ":errorMessage", s(r.message()), ":next", n(r.nextAttemptAt().toEpochMilli())));
      set.add("#reason = :reason");
      set.add("#errorClass = :errorClass");
      set.add("#errorMessage = :errorMessage");
      set.add("#nextAttemptAt = :next");
      audit = new AuditEntry(now, "RETRY_SCHEDULED", actor, "next attempt at " + r.nextAttemptAt() + " after "
          + r.errorClass() + ": " + r.message());
    }
    values.put(":to", s(target.name()));
    set.add("#status = :to");
    values.put(":audit", AttributeValue.fromL(List.of(DynamoQuarantineCodec.audit(audit))));
    set.add("#history = list_append(if_not_exists(#history, :empty), :audit)");
    if (!target.isOpen()) {
      names.put("#openLane", OPEN_LANE);
      names.putIfAbsent("#nextAttemptAt", NEXT_ATTEMPT_AT);
      remove.add("#openLane");
      remove.add("#nextAttemptAt");
    } else if (target != QuarantineStatus.RETRYING) {
      names.putIfAbsent("#nextAttemptAt", NEXT_ATTEMPT_AT);
      remove.add("#nextAttemptAt");
    }
    String condition = "#status = :from";
    if (expectedAttempts.isPresent()) {
      values.put(":expectedAttempts", n(expectedAttempts.getAsInt()));
      condition += " AND #attempts = :expectedAttempts";
    }
    return update(id, from, "SET " + String.join(", ", set)
        + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove)), condition, names, values);
  }

  /**
   * An operator gives up on an event: QUARANTINED, RETRYING or PARKED -> DISCARDED, a conditional write. A discarded
   * head no longer holds its key back; a retry or release that comes later finds it settled and does nothing.
   */
  public Future<QuarantineItem> discard(String id, String reason, String actor) {
    Instant now = clock.instant();
    Map<String, String> names = Map.of("#status", STATUS, "#updatedAt", UPDATED_AT, "#history", HISTORY,
        "#openLane", OPEN_LANE, "#nextAttemptAt", NEXT_ATTEMPT_AT);
    Map<String, AttributeValue> values = Map.of(
        ":to", s(QuarantineStatus.DISCARDED.name()),
        ":q", s(QuarantineStatus.QUARANTINED.name()),
        ":r", s(QuarantineStatus.RETRYING.name()),
        ":p", s(QuarantineStatus.PARKED.name()),
        ":now", n(now.toEpochMilli()),
        ":empty", AttributeValue.fromL(List.of()),
        ":audit", AttributeValue.fromL(List.of(DynamoQuarantineCodec.audit(
            new AuditEntry(now, "DISCARDED", actor, reason == null ? "" : reason)))));
    return update(id, QuarantineStatus.QUARANTINED,
        "SET #status = :to, #updatedAt = :now, #history = list_append(if_not_exists(#history, :empty), :audit) "
            + "REMOVE #openLane, #nextAttemptAt",
        "#status IN (:q, :r, :p)", names, values);
  }

  /** One conditional UpdateItem; a failed condition becomes a typed {@link StoreException}. */
  private Future<QuarantineItem> update(String id, QuarantineStatus expected, String updateExpression,
      String condition, Map<String, String> names, Map<String, AttributeValue> values) {
    UpdateItemRequest req = UpdateItemRequest.builder()
        .tableName(table)
        .key(Map.of(ID, s(id)))
        .updateExpression(updateExpression)
        .conditionExpression(condition)
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .returnValues(ReturnValue.ALL_NEW)
        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
        .build();
    return blocking(() -> {
      try {
        return DynamoQuarantineCodec.fromAttributes(dynamo.updateItem(req).attributes());
      } catch (ConditionalCheckFailedException e) {
        Optional<QuarantineItem> current = e.hasItem() && !e.item().isEmpty()
            ? Optional.of(DynamoQuarantineCodec.fromAttributes(e.item()))
            : getNow(id);
        throw current
            .<StoreException>map(item -> new StoreException.StatusConflict(id, expected, item.status()))
            .orElseGet(() -> new StoreException.NotFound(id));
      }
    });
  }

  /** Finding items by filter, with counts and fingerprint groups, on the same table and client. */
  public QuarantineSearch search() {
    return new QuarantineSearch(vertx, dynamo, table);
  }

  /** What became of redriven items, counted once per redrive, on the same table and client. */
  public RedriveOutcomes outcomes() {
    return new RedriveOutcomes(vertx, dynamo, table);
  }

  /** Succeeds when the table answers: the readiness probe of everything that needs the store. */
  public Future<Void> ping() {
    return blocking(() -> {
      dynamo.describeTable(b -> b.tableName(table));
      return null;
    });
  }

  public Future<Optional<QuarantineItem>> get(String id) {
    return blocking(() -> getNow(id));
  }

  private Optional<QuarantineItem> getNow(String id) {
    var resp = dynamo.getItem(b -> b.tableName(table).key(Map.of(ID, s(id))).consistentRead(true));
    return resp.hasItem() && !resp.item().isEmpty()
        ? Optional.of(DynamoQuarantineCodec.fromAttributes(resp.item()))
        : Optional.empty();
  }

  /** Newest first. Reads the status index, one status at a time when none is given, and merges. */
  public Future<List<QuarantineItem>> list(QuarantineQuery query) {
    return blocking(() -> {
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
          .tableName(table)
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
      QueryResponse resp = dynamo.query(req.build());
      resp.items().forEach(i -> out.add(DynamoQuarantineCodec.fromAttributes(i)));
      if (!resp.hasLastEvaluatedKey() || resp.lastEvaluatedKey().isEmpty()) {
        break;
      }
      startKey = resp.lastEvaluatedKey();
    }
    return out;
  }

  /**
   * QUARANTINED -> REDRIVEN. The operator's fixed data, if any, is stored with the item so that the consumer that
   * picks up the redrive reads exactly what was validated.
   */
  public Future<QuarantineItem> requestRedrive(String id, Optional<String> editedData, String actor) {
    Map<String, AttributeValue> values = new HashMap<>();
    StringBuilder set = new StringBuilder("#redriveCount = if_not_exists(#redriveCount, :zero) + :one");
    values.put(":zero", n(0));
    values.put(":one", n(1));
    Map<String, String> names = new HashMap<>(Map.of("#redriveCount", REDRIVE_COUNT));
    editedData.ifPresent(d -> {
      set.append(", #edited = :edited");
      names.put("#edited", EDITED_DATA);
      values.put(":edited", s(d));
    });
    String detail = editedData.isPresent() ? "redrive with edited data" : "redrive as is";
    return transition(id, QuarantineStatus.QUARANTINED, QuarantineStatus.REDRIVEN, set.toString(), names, values,
        new AuditEntry(clock.instant(), editedData.isPresent() ? "REDRIVE_EDITED" : "REDRIVE", actor, detail));
  }

  /** REDRIVEN -> QUARANTINED when the redrive could not be handed to the queue: the operator may try again. */
  public Future<QuarantineItem> cancelRedrive(String id, String detail) {
    return transition(id, QuarantineStatus.REDRIVEN, QuarantineStatus.QUARANTINED, null, Map.of(), Map.of(),
        new AuditEntry(clock.instant(), "REDRIVE_NOT_SENT", "sluice", detail));
  }

  /** REDRIVEN -> RESOLVED: the handler took the redriven event. */
  public Future<QuarantineItem> resolve(String id, String actor) {
    return resolve(id, actor, "the handler accepted the redriven event");
  }

  /**
   * REDRIVEN -> RESOLVED with the audit detail saying how, e.g. where a redriven ingress reject was appended
   * ({@code appended to retail-1@42}).
   */
  public Future<QuarantineItem> resolve(String id, String actor, String detail) {
    return transition(id, QuarantineStatus.REDRIVEN, QuarantineStatus.RESOLVED, null, Map.of(), Map.of(),
        new AuditEntry(clock.instant(), "RESOLVED", actor, detail));
  }

  /** REDRIVEN -> QUARANTINED: the redriven event failed again; the new failure replaces the old one. */
  public Future<QuarantineItem> requarantine(
      String id, QuarantineReason reason, String errorClass, String errorMessage, List<Violation> violations,
      int attemptsUsed, String actor) {
    Map<String, String> names = Map.of(
        "#reason", REASON, "#errorClass", ERROR_CLASS, "#errorMessage", ERROR_MESSAGE,
        "#violations", VIOLATIONS, "#attempts", ATTEMPTS);
    Map<String, AttributeValue> values = Map.of(
        ":reason", s(reason.name()),
        ":errorClass", s(errorClass == null ? "" : errorClass),
        ":errorMessage", s(errorMessage == null ? "" : errorMessage),
        ":violations", AttributeValue.fromL(violations.stream().map(DynamoQuarantineCodec::violation).toList()),
        ":attemptsUsed", n(attemptsUsed));
    return transition(id, QuarantineStatus.REDRIVEN, QuarantineStatus.QUARANTINED,
        "#reason = :reason, #errorClass = :errorClass, #errorMessage = :errorMessage, #violations = :violations, "
            + "#attempts = #attempts + :attemptsUsed",
        names, values,
        new AuditEntry(clock.instant(), "REDRIVE_FAILED", actor, reason + ": " + errorMessage));
  }

  private Future<QuarantineItem> transition(
      String id, QuarantineStatus from, QuarantineStatus to, String extraSet,
      Map<String, String> extraNames, Map<String, AttributeValue> extraValues, AuditEntry audit) {
    Instant now = clock.instant();
    Map<String, String> names = new HashMap<>(extraNames);
    names.put("#status", STATUS);
    names.put("#updatedAt", UPDATED_AT);
    names.put("#history", HISTORY);
    Map<String, AttributeValue> values = new HashMap<>(extraValues);
    values.put(":from", s(from.name()));
    values.put(":to", s(to.name()));
    values.put(":now", n(now.toEpochMilli()));
    values.put(":audit", AttributeValue.fromL(List.of(DynamoQuarantineCodec.audit(audit))));
    values.put(":empty", AttributeValue.fromL(List.of()));
    String update = "SET #status = :to, #updatedAt = :now, "
        + "#history = list_append(if_not_exists(#history, :empty), :audit)"
        + (extraSet == null ? "" : ", " + extraSet);
    if (!to.isOpen()) {
      // A settled item leaves the sparse index of open items: no consumer guards a key behind it any more.
      names.put("#openLane", OPEN_LANE);
      names.put("#nextAttemptAt", NEXT_ATTEMPT_AT);
      update += " REMOVE #openLane, #nextAttemptAt";
    }
    return update(id, from, update, "#status = :from", names, values);
  }

  private <T> Future<T> blocking(Callable<T> call) {
    return vertx.executeBlocking(call, false);
  }

}
