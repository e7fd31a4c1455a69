package dev.sluice.quarantine.store;

import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ATTEMPTS;
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
import java.util.concurrent.Callable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
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
    UpdateItemRequest req = UpdateItemRequest.builder()
        .tableName(table)
        .key(Map.of(ID, s(id)))
        .updateExpression(update)
        .conditionExpression("#status = :from")
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
            .<StoreException>map(item -> new StoreException.StatusConflict(id, from, item.status()))
            .orElseGet(() -> new StoreException.NotFound(id));
      }
    });
  }

  private <T> Future<T> blocking(Callable<T> call) {
    return vertx.executeBlocking(call, false);
  }

}
